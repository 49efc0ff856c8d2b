import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import type { Presence } from '@parley/protocol';
import { DirectoryStore } from '../core/directory.store';
import { PRESENCE_LABELS } from './presence';

/**
 * A user's avatar with a live presence dot (`data-testid="presence-<userId>"`,
 * `data-presence="<presence>"`). Falls back to initials while the image loads or fails.
 */
@Component({
  selector: 'parley-avatar',
  template: `
    <span class="initials" aria-hidden="true">{{ initials() }}</span>
    @if (avatarUrl()) {
      <img [src]="avatarUrl()" alt="" loading="lazy" (error)="hideImage($event)" />
    }
    @if (showPresence()) {
      <span
        [attr.data-testid]="'presence-' + userId()"
        [attr.data-presence]="presence()"
        [class]="'dot ' + presence()"
        role="img"
        [attr.aria-label]="presenceLabel()"
        [attr.title]="presenceLabel()"
      ></span>
    }
  `,
  styleUrl: './avatar.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[style.--size.px]': 'size()', '[attr.title]': 'name()' },
})
export class AvatarComponent {
  private readonly directory = inject(DirectoryStore);

  readonly userId = input.required<string>();
  readonly size = input(36);
  readonly showPresence = input(true);

  private readonly user = computed(() => this.directory.users().get(this.userId()));
  protected readonly name = computed(() => this.user()?.displayName ?? '');
  protected readonly avatarUrl = computed(() => this.user()?.avatarUrl ?? '');
  protected readonly presence = computed<Presence>(() => this.user()?.presence ?? 'offline');
  protected readonly presenceLabel = computed(() => PRESENCE_LABELS[this.presence()]);
  protected readonly initials = computed(() =>
    (this.name() || '?')
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((part) => part[0]?.toUpperCase())
      .join(''),
  );

  protected hideImage(event: Event): void {
    (event.target as HTMLImageElement).style.display = 'none';
  }
}
