import { NgTemplateOutlet } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  inject,
  input,
  linkedSignal,
  output,
  signal,
} from '@angular/core';
import {
  ICE_CREDENTIAL_TYPES,
  type AdminIceServer,
  type IceCredentialType,
  type IceServerInput,
} from '@parley/protocol';
import { AdminApi, AdminApiError } from '../api/admin-api.service';
import { parseIceUrls } from './ice-url';

interface IceDraft {
  label: string;
  urls: string;
  credentialType: IceCredentialType;
  username: string;
  credential: string;
  sharedSecret: string;
  ttlSeconds: string;
  enabled: boolean;
}

const CREDENTIAL_LABELS: Record<IceCredentialType, string> = {
  none: 'None (STUN or open TURN)',
  static: 'Static username + credential',
  rest: 'TURN REST shared secret',
};

/** A text or secret (write-only) field of the form. */
interface TextField {
  key: 'label' | 'username' | 'credential' | 'sharedSecret' | 'ttlSeconds';
  /** Element id and test id. */
  id: string;
  label: string;
  placeholder?: string;
  autocomplete?: string;
  inputmode?: string;
  /** Placeholder of a secret while none is stored. */
  secret?: { unset: string };
}

const FIELDS = {
  label: { key: 'label', id: 'ice-label', label: 'Label', placeholder: 'Office TURN' },
  username: { key: 'username', id: 'ice-username', label: 'Username', autocomplete: 'off' },
  credential: { key: 'credential', id: 'ice-credential', label: 'Credential', secret: { unset: '' } },
  sharedSecret: {
    key: 'sharedSecret',
    id: 'ice-shared-secret',
    label: 'Shared secret',
    secret: { unset: 'static-auth-secret of coturn' },
  },
  ttlSeconds: {
    key: 'ttlSeconds',
    id: 'ice-ttl',
    label: 'Credential lifetime (seconds)',
    inputmode: 'numeric',
  },
} as const satisfies Record<string, TextField>;

/** The fields each credential type adds, side by side. */
const CREDENTIAL_FIELDS: Record<IceCredentialType, readonly TextField[] | null> = {
  none: null,
  static: [FIELDS.username, FIELDS.credential],
  rest: [FIELDS.sharedSecret, FIELDS.ttlSeconds],
};

function draftOf(server: AdminIceServer | null): IceDraft {
  return {
    label: server?.label ?? '',
    urls: server?.urls.join('\n') ?? '',
    credentialType: server?.credentialType ?? 'none',
    username: server?.username ?? '',
    credential: '',
    sharedSecret: '',
    ttlSeconds: server?.ttlSeconds ? String(server.ttlSeconds) : '86400',
    enabled: server?.enabled ?? true,
  };
}

/**
 * Adds or edits one ICE server. URLs are checked while typing (scheme, host, port, transport);
 * the server checks everything again and its per-field errors appear inline. Secrets are
 * write-only: an empty field keeps the stored value.
 */
@Component({
  selector: 'parley-ice-server-form',
  imports: [NgTemplateOutlet],
  templateUrl: './ice-server-form.component.html',
  styleUrl: './ice-server-form.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class IceServerFormComponent {
  private readonly api = inject(AdminApi);

  /** The server to edit, or null to add one. */
  readonly server = input<AdminIceServer | null>(null);
  readonly saved = output<AdminIceServer>();
  readonly cancelled = output<void>();

  protected readonly types = ICE_CREDENTIAL_TYPES;
  protected readonly typeLabels = CREDENTIAL_LABELS;
  protected readonly fields = FIELDS;
  protected readonly credentialFields = CREDENTIAL_FIELDS;
  protected readonly draft = linkedSignal(() => draftOf(this.server()));
  protected readonly errors = signal<Record<string, string>>({});
  protected readonly formError = signal<string | null>(null);
  protected readonly saving = signal(false);

  protected set<K extends keyof IceDraft>(key: K, value: IceDraft[K]): void {
    this.draft.update((draft) => ({ ...draft, [key]: value }));
    if (key === 'urls') {
      const problems = parseIceUrls(String(value)).problems;
      this.errors.update((errors) => {
        const next = { ...errors };
        if (problems.length) next['urls'] = problems.join(' ');
        else delete next['urls'];
        return next;
      });
    }
  }

  protected secretSet(key: TextField['key']): boolean {
    return (key === 'credential' || key === 'sharedSecret') && this.server()?.[key]?.set === true;
  }

  protected textOf(field: TextField): string {
    return this.draft()[field.key];
  }

  protected placeholderOf(field: TextField): string | null {
    if (!field.secret) return field.placeholder ?? null;
    return this.secretSet(field.key) ? 'Stored — type to replace' : field.secret.unset;
  }

  protected value(event: Event): string {
    return (event.target as HTMLInputElement).value;
  }

  protected checkedOf(event: Event): boolean {
    return (event.target as HTMLInputElement).checked;
  }

  protected async save(event: Event): Promise<void> {
    event.preventDefault();
    if (this.saving()) return;
    const draft = this.draft();
    const { urls, problems } = parseIceUrls(draft.urls);
    this.formError.set(null);
    if (problems.length) {
      this.errors.set({ urls: problems.join(' ') });
      this.formError.set('Nothing was saved: correct the fields marked below.');
      return;
    }
    const body: IceServerInput = {
      label: draft.label.trim(),
      urls,
      credentialType: draft.credentialType,
      enabled: draft.enabled,
    };
    if (draft.credentialType === 'static') {
      body.username = draft.username.trim();
      if (draft.credential !== '') body.credential = draft.credential;
    }
    if (draft.credentialType === 'rest') {
      if (draft.sharedSecret !== '') body.sharedSecret = draft.sharedSecret;
      const ttl = Number(draft.ttlSeconds);
      body.ttlSeconds = draft.ttlSeconds.trim() === '' || !Number.isFinite(ttl) ? null : ttl;
    }
    this.saving.set(true);
    this.errors.set({});
    try {
      const server = this.server();
      const result = server
        ? await this.api.updateIceServer(server.id, body)
        : await this.api.createIceServer(body);
      this.saved.emit(result);
    } catch (err) {
      const error = AdminApiError.from(err);
      const byField = error.byField();
      this.errors.set(byField);
      this.formError.set(
        error.fieldErrors.length
          ? 'Nothing was saved: correct the fields marked below.'
          : `Nothing was saved: ${error.message}`,
      );
    } finally {
      this.saving.set(false);
    }
  }
}
