import { Directive, input } from '@angular/core';

/** How one control of the settings form is wired: its id, test id and invalid state. */
export interface SettingControl {
  id: string;
  testId: string;
  /** `aria-invalid`; null leaves it out (a checkbox). */
  invalid: boolean | null;
}

/** Wires a settings control (`input`, `select`) to its field: id, test id, help/error text, invalid. */
@Directive({
  selector: '[parleySetting]',
  host: {
    '[id]': 'control().id',
    '[attr.data-testid]': 'control().testId',
    '[attr.aria-invalid]': 'control().invalid',
    '[attr.aria-describedby]': "control().id + '-help'",
  },
})
export class SettingControlDirective {
  readonly control = input.required<SettingControl>({ alias: 'parleySetting' });
}
