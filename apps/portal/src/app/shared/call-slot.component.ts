import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import type { CallTarget } from '@parley/protocol';
import { ClientConnectorLoader, type UsableProvider } from '../core/client-connector-loader';
import { ProvidersStore } from '../core/providers.store';
import { SessionService } from '../core/session.service';

/** Where a call widget can be mounted in the portal. */
export type CallSlotName = 'popover' | 'profile-header' | 'room-header' | 'mini-chat-title';

export type { CallTarget };

/**
 * Mount point for the Parley call widget (e.g. a "Call" button with a provider menu).
 *
 * The portal places one slot in each of the four places a call can be started from:
 * the user popover (`popover`), the profile page header (`profile-header`), the chat room
 * header (`room-header`) and the mini chat title bar (`mini-chat-title`). The host element carries
 *
 * - `data-call-slot="<slot>"`,
 * - `data-call-target-kind="user|room|space"` and `data-call-user-id` or `data-call-room-id`.
 *
 * Until the call widget lands, the slot renders one plain button per usable provider
 * (`data-testid="call-button"`, `data-provider="<type>"`): the live list of {@link ProvidersStore},
 * filtered by {@link ClientConnectorLoader.usable} (client half loaded, `init` and `canCall(target)`
 * succeeded). The list follows `providers.changed` pushes without a reload. No button for calling
 * oneself. Clicking only logs a note for now; the widget will replace this content with its call
 * button + provider pulldown (same inputs), so the pages that use `<parley-call-slot>` will not change.
 */
@Component({
  selector: 'parley-call-slot',
  template: `
    @for (entry of usable(); track entry.provider.type) {
      <button
        type="button"
        class="call-button"
        data-testid="call-button"
        [attr.data-provider]="entry.provider.type"
        [title]="entry.provider.description"
        (click)="call(entry)"
      >
        <svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true" focusable="false">
          <path
            fill="currentColor"
            d="M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0 1-.25 1z"
          />
        </svg>
        Call with {{ entry.provider.title }}
      </button>
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
  styles: `
    :host {
      display: inline-flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.25rem;
    }
    :host:empty {
      display: none;
    }
    .call-button {
      display: inline-flex;
      align-items: center;
      gap: 0.35rem;
      height: 28px;
      padding: 0 0.65rem;
      border: 1px solid var(--accent-soft);
      border-radius: 999px;
      background: var(--accent-soft);
      color: var(--accent-strong);
      font: inherit;
      font-size: 0.8rem;
      font-weight: 600;
      white-space: nowrap;
      cursor: pointer;
    }
    .call-button:hover {
      border-color: var(--accent);
    }
  `,
})
export class CallSlotComponent {
  private readonly store = inject(ProvidersStore);
  private readonly loader = inject(ClientConnectorLoader);
  private readonly session = inject(SessionService);

  readonly slot = input.required<CallSlotName>();
  readonly target = input.required<CallTarget>();

  /** The providers that can call the target, in the admins' order. */
  protected readonly usable = signal<readonly UsableProvider[]>([]);

  protected readonly userId = computed(() => {
    const target = this.target();
    return target.kind === 'user' ? target.userId : null;
  });
  protected readonly roomId = computed(() => {
    const target = this.target();
    return target.kind === 'user' ? null : target.roomId;
  });
  private readonly self = computed(() => {
    const userId = this.userId();
    return userId !== null && userId === this.session.user()?.id;
  });

  constructor() {
    let latest = 0;
    effect(() => {
      const providers = this.store.providers();
      const target = this.target();
      const run = ++latest;
      if (this.self() || providers.length === 0) {
        this.usable.set([]);
        return;
      }
      void this.loader.usable(providers, target).then((usable) => {
        if (run === latest) this.usable.set(usable);
      });
    });
  }

  protected call(entry: UsableProvider): void {
    // eslint-disable-next-line no-console -- placeholder until the call widget lands
    console.info(`[parley] call with ${entry.provider.type} requested: the call widget opens calls.`);
  }
}
