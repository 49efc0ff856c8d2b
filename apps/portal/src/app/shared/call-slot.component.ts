import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

/** Where a call widget can be mounted in the portal. */
export type CallSlotName = 'popover' | 'profile-header' | 'room-header' | 'mini-chat-title';

/** Who a call started from a slot would reach. */
export type CallTarget = { kind: 'user'; userId: string } | { kind: 'room'; roomId: string };

/**
 * Mount point for the Parley call widget (e.g. a "Call" button with a provider menu).
 *
 * The portal places one slot in each of the four places a call can be started from:
 * the user popover (`popover`), the profile page header (`profile-header`), the chat room
 * header (`room-header`) and the mini chat title bar (`mini-chat-title`). For now the slot
 * renders nothing visible: only an empty host element carrying
 *
 * - `data-call-slot="<slot>"`,
 * - `data-call-target-kind="user|room"` and `data-call-user-id` or `data-call-room-id`.
 *
 * How the widget will fill it: the widget script (loaded by the portal or by a host portal
 * that embeds Parley) looks up `[data-call-slot]` elements — initially and through a
 * `MutationObserver`, since slots come and go with Angular views — reads the target from the
 * data attributes and renders its button inside the host element. When the widget becomes an
 * Angular library, this component will render it directly instead (same inputs), so the pages
 * that use `<parley-call-slot>` will not change.
 */
@Component({
  selector: 'parley-call-slot',
  template: '',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    class: 'call-slot',
    '[attr.data-call-slot]': 'slot()',
    '[attr.data-call-target-kind]': 'target().kind',
    '[attr.data-call-user-id]': 'userId()',
    '[attr.data-call-room-id]': 'roomId()',
  },
  styles: ':host { display: inline-flex; align-items: center; gap: 0.25rem; } :host:empty { display: none; }',
})
export class CallSlotComponent {
  readonly slot = input.required<CallSlotName>();
  readonly target = input.required<CallTarget>();

  protected readonly userId = computed(() => {
    const target = this.target();
    return target.kind === 'user' ? target.userId : null;
  });
  protected readonly roomId = computed(() => {
    const target = this.target();
    return target.kind === 'room' ? target.roomId : null;
  });
}
