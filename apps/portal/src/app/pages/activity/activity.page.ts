import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { ActivityStore } from '../../core/activity.store';
import { SessionService } from '../../core/session.service';
import { AvatarComponent } from '../../shared/avatar.component';
import { TimeAgoPipe } from '../../shared/time-ago.pipe';
import { UserChipComponent } from '../../shared/user-chip.component';

/** The activity stream: what the team posts, newest first, live. */
@Component({
  selector: 'parley-activity-page',
  imports: [FormsModule, AvatarComponent, UserChipComponent, TimeAgoPipe],
  templateUrl: './activity.page.html',
  styleUrl: './activity.page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ActivityPage {
  protected readonly store = inject(ActivityStore);
  protected readonly me = inject(SessionService).user;
  protected readonly draft = signal('');
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly canPost = computed(() => this.draft().trim().length > 0 && !this.busy());

  constructor() {
    this.store.load().catch((err: unknown) => this.error.set(messageOf(err)));
  }

  protected async post(): Promise<void> {
    if (!this.canPost()) return;
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.store.create(this.draft().trim());
      this.draft.set('');
    } catch (err) {
      this.error.set(messageOf(err));
    } finally {
      this.busy.set(false);
    }
  }

  protected onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void this.post();
    }
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : 'Something went wrong.';
}
