import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import type { AdminProvider, ProviderCapability } from '@parley/protocol';
import { AdminApi, AdminApiError } from '../api/admin-api.service';
import { SettingsFormComponent } from '../settings-form/settings-form.component';
import { MoveButtonsComponent } from '../shared/move-buttons.component';

const HEALTH_LABELS: Record<AdminProvider['health']['status'], string> = {
  ok: 'Ready',
  not_configured: 'Not configured',
  error: 'Error',
  inactive: 'Inactive',
};

const CAPABILITY_LABELS: Record<ProviderCapability, string> = {
  audio: 'Audio',
  video: 'Video',
  screenShare: 'Screen sharing',
  recording: 'Recording',
  chat: 'Call chat',
  guests: 'Guest access',
  raiseHand: 'Raising hands',
  reactions: 'Reactions',
};

/**
 * One provider on the admin page: what it is, its Active switch, health (with what it cannot do on
 * this server, e.g. recording without ffmpeg), settings form.
 */
@Component({
  selector: 'parley-provider-card',
  imports: [SettingsFormComponent, MoveButtonsComponent],
  templateUrl: './provider-card.component.html',
  styleUrl: './provider-card.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProviderCardComponent {
  private readonly api = inject(AdminApi);

  readonly provider = input.required<AdminProvider>();
  readonly first = input(false);
  readonly last = input(false);
  /** The provider after a change made here. */
  readonly changed = output<AdminProvider>();
  readonly move = output<-1 | 1>();

  protected readonly capabilityLabels = CAPABILITY_LABELS;
  protected readonly healthLabel = computed(() => HEALTH_LABELS[this.provider().health.status]);
  protected readonly sourceLabel = computed(() => {
    const source = this.provider().source;
    return source.kind === 'builtin' ? 'Built in' : `Plug-in ${source.name}`;
  });
  protected readonly settingsOpen = signal(false);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  protected async setActive(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const active = input.checked;
    this.busy.set(true);
    this.error.set(null);
    try {
      this.changed.emit(await this.api.updateProvider(this.provider().type, { active }));
    } catch (err) {
      input.checked = !active;
      this.error.set(AdminApiError.from(err).message);
    } finally {
      this.busy.set(false);
    }
  }

  protected async check(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      const health = await this.api.checkProvider(this.provider().type);
      this.changed.emit({ ...this.provider(), health });
    } catch (err) {
      this.error.set(AdminApiError.from(err).message);
    } finally {
      this.busy.set(false);
    }
  }
}
