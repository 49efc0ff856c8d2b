import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  computed,
  effect,
  inject,
  input,
  output,
  signal,
} from '@angular/core';
import type { CallTarget, PreferenceContext, ProviderDescriptor } from '@parley/protocol';
import { CallService } from '../calls/call.service';
import { ParleyWidgetHost } from '../host/widget-host';
import { PreferencesStore } from '../preferences/preferences.store';
import { MenuTriggerDirective } from './menu-trigger.directive';

/**
 * The call button of a slot. One usable provider: one button. Several: a split button whose main
 * part calls with the remembered provider (last choice per user per `context`, stored server-side)
 * and whose arrow opens the provider pulldown. No usable provider (or the target is oneself):
 * nothing. A one-to-one callee who is offline: a disabled button with a tooltip. A provider that
 * needs an IM account (`imAccount`) the callee has not set: its pulldown entry is disabled with
 * "<name> has no <label>" (and the main button does not pick it).
 */
@Component({
  selector: 'parley-call-button',
  imports: [MenuTriggerDirective],
  templateUrl: './call-button.component.html',
  styleUrl: './call-button.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    class: 'parley-call-button',
    '(document:click)': 'closeOutside($event)',
    '(keydown.escape)': 'menuOpen.set(false)',
  },
})
export class CallButtonComponent {
  private readonly host = inject(ParleyWidgetHost);
  private readonly calls = inject(CallService);
  private readonly prefs = inject(PreferencesStore);
  private readonly element = inject<ElementRef<HTMLElement>>(ElementRef);

  readonly target = input.required<CallTarget>();
  /** Which remembered choice this pulldown uses. */
  readonly context = input<PreferenceContext>('user');
  /** A call was started from this button (custom element: a `called` event). */
  readonly called = output<{ providerType: string; target: CallTarget }>();

  protected readonly usable = signal<readonly ProviderDescriptor[]>([]);
  protected readonly menuOpen = signal(false);
  protected readonly menuId = `parley-call-menu-${Math.random().toString(36).slice(2, 9)}`;
  /** Provider types the one-to-one callee has an IM account for; null while unknown (nothing disabled). */
  private readonly calleeAccounts = signal<ReadonlySet<string> | null>(null);

  private readonly peer = computed(() => {
    const target = this.target();
    return target.kind === 'user' ? (this.host.users().get(target.userId) ?? null) : null;
  });
  private readonly self = computed(() => {
    const target = this.target();
    return target.kind === 'user' && target.userId === this.host.me()?.id;
  });
  protected readonly offline = computed(() => this.peer()?.presence === 'offline');
  protected readonly disabledReason = computed(() => {
    if (this.offline()) return `${this.peer()?.displayName ?? 'This person'} is offline`;
    if (this.calls.busy()) return 'You are already in a call';
    return null;
  });
  /** Why this provider cannot call the callee (an IM account they lack), or null. */
  protected missingAccount(provider: ProviderDescriptor): string | null {
    const accounts = this.calleeAccounts();
    if (!provider.imAccount || !accounts || accounts.has(provider.type)) return null;
    return `${this.peer()?.displayName ?? 'This person'} has no ${provider.imAccount.label}`;
  }
  /** The provider the main button calls with: the remembered one, else the first that can. */
  protected readonly chosen = computed<ProviderDescriptor | null>(() => {
    const list = this.usable();
    const remembered = this.prefs.preferences()?.lastProvider[this.context()];
    const callable = list.filter((p) => this.missingAccount(p) === null);
    return callable.find((p) => p.type === remembered) ?? callable[0] ?? list[0] ?? null;
  });
  /** Why the main button cannot call: offline, busy, or its provider needs an account the callee lacks. */
  protected readonly mainReason = computed(() => {
    const provider = this.chosen();
    return this.disabledReason() ?? (provider ? this.missingAccount(provider) : null);
  });
  protected readonly label = computed(() => {
    const peer = this.peer();
    return peer ? `Call ${peer.displayName}` : 'Start a call';
  });

  constructor() {
    let latest = 0;
    effect(() => {
      const providers = this.host.providers();
      const target = this.target();
      const self = this.self();
      const me = this.host.me();
      const run = ++latest;
      if (self || !me || providers.length === 0) {
        this.usable.set([]);
        return;
      }
      void this.host.usableProviders(target).then(
        (usable) => {
          if (run === latest) this.usable.set(usable.map((u) => u.provider));
        },
        () => {
          if (run === latest) this.usable.set([]);
        },
      );
    });
    effect(() => {
      if (this.host.me() && this.usable().length > 1) void this.prefs.load();
    });
    let accountsRun = 0;
    effect(() => {
      const target = this.target();
      const needsAccount = this.usable().some((p) => p.imAccount);
      const run = ++accountsRun;
      this.calleeAccounts.set(null);
      if (target.kind !== 'user' || !needsAccount) return;
      void this.host.imAccounts(target.userId).then(
        (accounts) => {
          if (run === accountsRun) this.calleeAccounts.set(new Set(accounts.map((a) => a.providerType)));
        },
        () => undefined,
      );
    });
  }

  protected callWith(provider: ProviderDescriptor | null, remember: boolean): void {
    this.menuOpen.set(false);
    if (!provider || this.disabledReason() || this.missingAccount(provider)) return;
    if (remember) void this.prefs.setLastProvider(this.context(), provider.type);
    this.called.emit({ providerType: provider.type, target: this.target() });
    void this.calls.start(this.target(), provider.type);
  }

  protected toggleMenu(): void {
    if (this.disabledReason()) return;
    const opening = !this.menuOpen();
    this.menuOpen.set(opening);
    if (opening) {
      void this.prefs.load();
      queueMicrotask(() => this.focusItem(0));
    }
  }

  protected onMenuKey(event: KeyboardEvent): void {
    const items = this.items();
    const index = items.indexOf(event.target as HTMLElement);
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      this.focusItem((index + step + items.length) % items.length);
    } else if (event.key === 'Escape') {
      this.menuOpen.set(false);
      this.element.nativeElement.querySelector<HTMLElement>('.toggle')?.focus();
    }
  }

  protected closeOutside(event: MouseEvent): void {
    if (this.menuOpen() && !this.element.nativeElement.contains(event.target as Node))
      this.menuOpen.set(false);
  }

  private items(): HTMLElement[] {
    return [
      ...this.element.nativeElement.querySelectorAll<HTMLElement>('[role="menuitemradio"]:not([disabled])'),
    ];
  }

  private focusItem(index: number): void {
    this.items()[index]?.focus();
  }
}
