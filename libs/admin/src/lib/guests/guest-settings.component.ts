import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import type { GuestLinkCreators, GuestSettings, GuestSettingsUpdate } from '@parley/protocol';
import { AdminApi } from '../api/admin-api.service';
import { showingErrors } from '../shared/admin-ui';

/**
 * Guests by link (docs/guests.md): the portal-wide switch, and who may create guest links for a
 * room's call (its host, or any member in the call). Saved as soon as it changes.
 */
@Component({
  selector: 'parley-guest-settings',
  templateUrl: './guest-settings.component.html',
  styleUrl: './guest-settings.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class GuestSettingsComponent {
  private readonly api = inject(AdminApi);

  protected readonly settings = signal<GuestSettings | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly saving = signal(false);
  protected readonly saved = signal(false);

  constructor() {
    void showingErrors(this.error, async () => this.settings.set(await this.api.guestSettings()));
  }

  protected setEnabled(event: Event): Promise<void> {
    return this.save({ enabled: (event.target as HTMLInputElement).checked });
  }

  protected setCreators(creators: GuestLinkCreators): Promise<void> {
    return this.save({ creators });
  }

  private async save(update: GuestSettingsUpdate): Promise<void> {
    this.saving.set(true);
    this.saved.set(false);
    await showingErrors(this.error, async () => {
      this.settings.set(await this.api.updateGuestSettings(update));
      this.saved.set(true);
    });
    this.saving.set(false);
  }
}
