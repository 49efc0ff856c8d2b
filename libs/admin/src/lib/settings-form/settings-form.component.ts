import { NgTemplateOutlet } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  linkedSignal,
  output,
  signal,
} from '@angular/core';
import type { AdminProvider } from '@parley/protocol';
import { AdminApi, AdminApiError } from '../api/admin-api.service';
import {
  type SecretIntent,
  type SettingsDraft,
  type SettingsField,
  initialDraft,
  isSecretState,
  settingsFields,
  settingsPayload,
} from './settings-form';
import { type SettingControl, SettingControlDirective } from './setting-control.directive';

/**
 * A provider's settings form, rendered from its JSON Schema. Saves with one PUT; on a 400 the
 * server's per-field errors appear under their fields and nothing is saved. Secret fields are
 * write-only: they show whether a value is set, take a new value, or can be cleared.
 */
@Component({
  selector: 'parley-settings-form',
  imports: [NgTemplateOutlet, SettingControlDirective],
  templateUrl: './settings-form.component.html',
  styleUrl: './settings-form.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SettingsFormComponent {
  private readonly api = inject(AdminApi);

  readonly provider = input.required<AdminProvider>();
  readonly saved = output<AdminProvider>();

  protected readonly fields = computed(() => settingsFields(this.provider().settingsSchema));
  protected readonly draft = linkedSignal<SettingsDraft>(() =>
    initialDraft(this.fields(), this.provider().settings),
  );
  protected readonly secrets = linkedSignal<Record<string, SecretIntent>>(() => {
    this.provider();
    return {};
  });
  protected readonly errors = signal<Record<string, string>>({});
  protected readonly formError = signal<string | null>(null);
  protected readonly saving = signal(false);
  protected readonly savedAt = signal<number | null>(null);

  /** The wiring of each field's control, by field key. */
  protected readonly controls = computed(() => {
    const errors = this.errors();
    const controls: Record<string, SettingControl> = {};
    for (const field of this.fields()) {
      const invalid = field.kind === 'checkbox' ? null : !!errors[field.key];
      controls[field.key] = { id: this.idOf(field), testId: `setting-${field.key}`, invalid };
    }
    return controls;
  });

  protected idOf(field: SettingsField): string {
    return `setting-${this.provider().type}-${field.key}`;
  }

  protected secretSet(field: SettingsField): boolean {
    const value = this.provider().settings[field.key];
    return isSecretState(value) && value.set;
  }

  protected placeholderOf(field: SettingsField): string {
    if (field.kind !== 'secret') return String(field.property.default ?? '');
    return this.secretSet(field) ? 'Stored — type to replace' : 'Not set';
  }

  protected text(field: SettingsField): string {
    const value = this.draft()[field.key];
    return typeof value === 'string' ? value : '';
  }

  protected checked(field: SettingsField): boolean {
    return this.draft()[field.key] === true;
  }

  protected setText(field: SettingsField, event: Event): void {
    const value = (event.target as HTMLInputElement | HTMLSelectElement).value;
    this.draft.update((draft) => ({ ...draft, [field.key]: value }));
    if (field.kind === 'secret') {
      this.secrets.update((s) => ({ ...s, [field.key]: value === '' ? 'keep' : 'replace' }));
    }
    this.savedAt.set(null);
  }

  protected setChecked(field: SettingsField, event: Event): void {
    const value = (event.target as HTMLInputElement).checked;
    this.draft.update((draft) => ({ ...draft, [field.key]: value }));
    this.savedAt.set(null);
  }

  protected clearSecret(field: SettingsField): void {
    this.draft.update((draft) => ({ ...draft, [field.key]: '' }));
    this.secrets.update((s) => ({ ...s, [field.key]: 'clear' }));
    this.savedAt.set(null);
  }

  protected keepSecret(field: SettingsField): void {
    this.secrets.update((s) => ({ ...s, [field.key]: 'keep' }));
  }

  protected async save(event: Event): Promise<void> {
    event.preventDefault();
    if (this.saving()) return;
    this.saving.set(true);
    this.errors.set({});
    this.formError.set(null);
    this.savedAt.set(null);
    try {
      const settings = settingsPayload(this.fields(), this.draft(), this.secrets());
      const updated = await this.api.updateProvider(this.provider().type, { settings });
      this.saved.emit(updated);
      this.savedAt.set(Date.now());
    } catch (err) {
      const error = AdminApiError.from(err);
      const byField = error.byField();
      const known = new Set(this.fields().map((f) => f.key));
      const fieldErrors: Record<string, string> = {};
      const other: string[] = [];
      for (const [field, message] of Object.entries(byField)) {
        if (known.has(field)) fieldErrors[field] = message;
        else other.push(message);
      }
      this.errors.set(fieldErrors);
      this.formError.set(
        Object.keys(fieldErrors).length
          ? other.length
            ? `Nothing was saved: ${other.join('; ')}`
            : 'Nothing was saved: correct the fields marked below.'
          : `Nothing was saved: ${error.message}`,
      );
    } finally {
      this.saving.set(false);
    }
  }
}
