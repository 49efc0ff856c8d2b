import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';

const MOVES = [
  { delta: -1, name: 'up', label: 'Move up', arrow: '↑' },
  { delta: 1, name: 'down', label: 'Move down', arrow: '↓' },
] as const;

/**
 * The ↑/↓ buttons of an item in an ordered list (providers, ICE servers); their test ids are
 * `<testIdPrefix>up<testIdSuffix>` and `<testIdPrefix>down<testIdSuffix>`.
 */
@Component({
  selector: 'parley-move-buttons',
  template: `
    @for (step of moves; track step.delta) {
      <button
        type="button"
        class="btn ghost small"
        [disabled]="step.delta < 0 ? first() : last()"
        [attr.aria-label]="step.label"
        [attr.data-testid]="testIdPrefix() + step.name + testIdSuffix()"
        (click)="move.emit(step.delta)"
      >
        {{ step.arrow }}
      </button>
    }
  `,
  styleUrl: './move-buttons.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MoveButtonsComponent {
  readonly first = input(false);
  readonly last = input(false);
  readonly testIdPrefix = input.required<string>();
  readonly testIdSuffix = input('');
  readonly move = output<-1 | 1>();

  protected readonly moves = MOVES;
}
