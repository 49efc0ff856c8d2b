import { Directive, input } from '@angular/core';

/**
 * A button that opens a menu (the provider pulldown, the reactions, a participant's host actions):
 * `type="button"`, `aria-haspopup="menu"` and `aria-expanded` while the menu is open.
 */
@Directive({
  selector: 'button[parleyMenuTrigger]',
  host: { type: 'button', 'aria-haspopup': 'menu', '[attr.aria-expanded]': 'parleyMenuTrigger()' },
})
export class MenuTriggerDirective {
  /** Whether the menu is open. */
  readonly parleyMenuTrigger = input.required<boolean>();
}
