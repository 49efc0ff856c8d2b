import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import type { ImAccountField, ProviderDescriptor, UserImAccount } from '@parley/protocol';
import { ApiClient } from '../../core/api-client';
import { ProvidersStore } from '../../core/providers.store';

/** An active provider that declares an IM field. */
type ImProvider = ProviderDescriptor & { imAccount: ImAccountField };

/**
 * The "IM accounts" section of a profile (eXo's IM field): one entry per active call provider that
 * declares `imAccount`. On one's own profile a pulldown of those providers, the value and Save
 * (checked by the server against the provider's pattern); on others' the accounts they set.
 */
@Component({
  selector: 'parley-im-accounts',
  template: `
    @if (editable() || shown().length > 0) {
      <section class="im card" aria-labelledby="im-accounts-title" data-testid="im-accounts">
        <h2 id="im-accounts-title">IM accounts</h2>
        @if (shown().length > 0) {
          <dl>
            @for (row of shown(); track row.provider.type) {
              <div [attr.data-testid]="'im-account-' + row.provider.type">
                <dt>{{ row.provider.imAccount.label }}</dt>
                <dd>
                  <span data-testid="im-account-value-shown">{{ row.value }}</span>
                  @if (editable()) {
                    <button
                      type="button"
                      class="btn"
                      [attr.aria-label]="'Remove ' + row.provider.imAccount.label"
                      data-testid="im-account-remove"
                      (click)="remove(row.provider.type)"
                    >
                      Remove
                    </button>
                  }
                </dd>
              </div>
            }
          </dl>
        } @else if (providers().length === 0) {
          <p class="muted">No call provider asks for an IM account.</p>
        }
        @if (editable() && selected(); as provider) {
          <form class="edit" (submit)="save($event)">
            <label for="im-account-provider">Account</label>
            <select
              id="im-account-provider"
              class="input"
              data-testid="im-account-provider"
              (change)="choose($any($event.target).value)"
            >
              @for (p of providers(); track p.type) {
                <option [value]="p.type" [selected]="p.type === provider.type">
                  {{ p.imAccount.label }} ({{ p.title }})
                </option>
              }
            </select>
            <label class="visually-hidden" for="im-account-value">{{ provider.imAccount.label }}</label>
            <input
              id="im-account-value"
              class="input"
              data-testid="im-account-value"
              autocomplete="off"
              [placeholder]="provider.imAccount.placeholder ?? provider.imAccount.label"
              [value]="draft()"
              (input)="draft.set($any($event.target).value)"
            />
            <button type="submit" class="btn primary" data-testid="im-account-save" [disabled]="saving()">
              Save
            </button>
          </form>
          @if (error(); as message) {
            <p class="error-text" role="alert" data-testid="im-account-error">{{ message }}</p>
          }
        }
      </section>
    }
  `,
  styles: `
    .im {
      margin-top: 1rem;
      padding: 1rem 1.5rem;
    }
    h2 {
      margin: 0 0 0.5rem;
      font-size: 1rem;
    }
    dl {
      display: grid;
      gap: 0.5rem;
      margin: 0 0 0.75rem;
    }
    dl div {
      display: grid;
      grid-template-columns: 140px 1fr;
      gap: 1rem;
    }
    dt {
      color: var(--text-muted);
      font-weight: 600;
    }
    dd {
      margin: 0;
      display: flex;
      gap: 0.75rem;
      align-items: center;
    }
    .edit {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      align-items: center;
    }
    .edit input {
      flex: 1;
      min-width: 12rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ImAccountsComponent {
  private readonly api = inject(ApiClient);
  private readonly providersStore = inject(ProvidersStore);

  readonly userId = input.required<string>();
  /** The signed-in user's own profile: the accounts can be edited. */
  readonly editable = input(false);

  private readonly accounts = signal<readonly UserImAccount[]>([]);
  /** The active providers with an IM field, in the admins' order. */
  protected readonly providers = computed(() =>
    this.providersStore.providers().filter((p): p is ImProvider => p.imAccount !== null),
  );
  /** The user's accounts for those providers (others' providers are not shown). */
  protected readonly shown = computed(() =>
    this.providers().flatMap((provider) => {
      const account = this.accounts().find((a) => a.providerType === provider.type);
      return account ? [{ provider, value: account.value }] : [];
    }),
  );
  private readonly chosenType = signal<string | null>(null);
  protected readonly selected = computed(
    () => this.providers().find((p) => p.type === this.chosenType()) ?? this.providers()[0] ?? null,
  );
  protected readonly draft = signal('');
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);

  constructor() {
    effect(() => {
      const id = this.userId();
      this.accounts.set([]);
      this.api.imAccounts(id).then(
        (accounts) => {
          if (this.userId() === id) this.accounts.set(accounts);
        },
        () => undefined,
      );
    });
    // The value field shows the stored value of the chosen provider.
    effect(() => {
      const type = this.selected()?.type;
      this.draft.set(this.accounts().find((a) => a.providerType === type)?.value ?? '');
    });
  }

  protected choose(type: string): void {
    this.error.set(null);
    this.chosenType.set(type);
  }

  protected async save(event: Event): Promise<void> {
    event.preventDefault();
    const provider = this.selected();
    if (!provider) return;
    this.saving.set(true);
    this.error.set(null);
    try {
      const saved = await this.api.setImAccount(provider.type, this.draft());
      this.accounts.update((list) => [...list.filter((a) => a.providerType !== saved.providerType), saved]);
    } catch (err: unknown) {
      this.error.set(err instanceof Error ? err.message : 'The account could not be saved.');
    } finally {
      this.saving.set(false);
    }
  }

  protected async remove(type: string): Promise<void> {
    this.error.set(null);
    try {
      await this.api.removeImAccount(type);
      this.accounts.update((list) => list.filter((a) => a.providerType !== type));
    } catch (err: unknown) {
      this.error.set(err instanceof Error ? err.message : 'The account could not be removed.');
    }
  }
}
