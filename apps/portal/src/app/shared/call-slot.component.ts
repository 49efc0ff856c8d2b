import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import type { CallTarget, PreferenceContext } from '@parley/protocol';
import { CallButtonComponent } from '@parley/widget';
import { SessionService } from '../core/session.service';

/** Where a call widget can be mounted in the portal. */
export type CallSlotName = 'popover' | 'profile-header' | 'room-header' | 'mini-chat-title';

export type { CallTarget };

/** Which remembered provider choice (server-side preference) each slot's pulldown uses. */
const PREFERENCE_CONTEXTS: Readonly<Record<CallSlotName, PreferenceContext>> = {
  popover: 'popover',
  'profile-header': 'profile',
  'room-header': 'room',
  'mini-chat-title': 'user',
};

/**
 * Mount point of the Parley call widget. The portal places one slot in each of the four places a
 * call can be started from: the user popover (`popover`), the profile page header
 * (`profile-header`), the chat room header (`room-header`; in a direct message the target is the
 * other person) and the mini chat title bar (`mini-chat-title`). The host element carries
 *
 * - `data-call-slot="<slot>"`,
 * - `data-call-target-kind="user|room|space"` and `data-call-user-id` or `data-call-room-id`,
 *
 * and renders the widget's `<parley-call-button>` (`@parley/widget`): one button
 * (`data-testid="call-button"`, `data-provider="<type>"`) when one provider can call the target,
 * a split button with a provider pulldown when several can, nothing when none can (the providers
 * store follows `providers.changed` live, the loader keeps a broken client half from breaking the
 * others) or when the target is oneself.
 */
@Component({
  selector: 'parley-call-slot',
  imports: [CallButtonComponent],
  template: `
    @if (!self()) {
      <parley-call-button [target]="target()" [context]="context()" />
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    class: 'call-slot',
    '[attr.data-call-slot]': 'slot()',
    '[attr.data-call-target-kind]': 'target().kind',
    '[attr.data-call-user-id]': 'userId()',
    '[attr.data-call-room-id]': 'roomId()',
  },
  styles: ':host { display: inline-flex; align-items: center; gap: 0.25rem; }',
})
export class CallSlotComponent {
  private readonly session = inject(SessionService);

  readonly slot = input.required<CallSlotName>();
  readonly target = input.required<CallTarget>();

  protected readonly context = computed(() => PREFERENCE_CONTEXTS[this.slot()]);
  protected readonly userId = computed(() => {
    const target = this.target();
    return target.kind === 'user' ? target.userId : null;
  });
  protected readonly roomId = computed(() => {
    const target = this.target();
    return target.kind === 'user' ? null : target.roomId;
  });
  protected readonly self = computed(() => {
    const userId = this.userId();
    return userId !== null && userId === this.session.user()?.id;
  });
}
