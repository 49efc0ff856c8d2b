import {
  ChangeDetectionStrategy,
  Component,
  type ElementRef,
  afterRenderEffect,
  computed,
  effect,
  inject,
  input,
  output,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { DatePipe } from '@angular/common';
import { type ChatMessage, type MessageAttachment, attachmentDetails } from '@parley/protocol';
import { filter, merge } from 'rxjs';
import { ParleyWidgetHost } from '../host/widget-host';
import { IconComponent } from '../icons/icon.component';

/**
 * The chat of a group call: the replies of the call's thread in its room (`CallInfo.threadId`),
 * oldest first, live over the page's socket (`room.message` / `room.ephemeral` of that thread),
 * and a composer that posts with `room.send` + `threadId`. Attachments (call recordings) show as
 * a file row with a Download link. Messages from others that arrive while the panel is hidden
 * (`open` false) are counted in `unread`.
 */
@Component({
  selector: 'parley-call-chat',
  imports: [DatePipe, IconComponent],
  templateUrl: './call-chat.component.html',
  styleUrl: './call-chat.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CallChatComponent {
  private readonly host = inject(ParleyWidgetHost);
  private readonly list = viewChild<ElementRef<HTMLElement>>('list');

  readonly roomId = input.required<string>();
  readonly threadId = input.required<string>();
  /** Whether the panel is on screen. */
  readonly open = input(true);
  /** Messages from others received while hidden; 0 again once shown. */
  readonly unread = output<number>();

  protected readonly messages = signal<readonly ChatMessage[]>([]);
  protected readonly loading = signal(true);
  protected readonly draft = signal('');
  protected readonly sending = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly canSend = computed(() => this.draft().trim().length > 0 && !this.sending());
  private readonly names = signal<ReadonlyMap<string, string>>(new Map());
  private readonly lastId = computed(() => this.messages().at(-1)?.id);
  private unreadCount = 0;

  constructor() {
    effect((onCleanup) => {
      const roomId = this.roomId();
      const threadId = this.threadId();
      let current = true;
      untracked(() => {
        this.messages.set([]);
        this.loading.set(true);
        this.error.set(null);
      });
      this.host
        .roomMessages(roomId, { thread: threadId, limit: 200 })
        .then(
          (page) => current && this.merge(page),
          (err: unknown) => current && this.error.set(errorText(err, 'Could not load the earlier messages.')),
        )
        .finally(() => current && this.loading.set(false));
      const live = merge(this.host.events('room.message'), this.host.events('room.ephemeral'))
        .pipe(filter((m) => m.threadId === threadId))
        .subscribe((m) => this.receive(m));
      // A rewritten message (e.g. its recording deleted) replaces the one shown.
      const edits = this.host
        .events('room.message.updated')
        .pipe(filter((m) => m.threadId === threadId && this.messages().some((known) => known.id === m.id)))
        .subscribe((m) => this.merge([m]));
      onCleanup(() => {
        current = false;
        live.unsubscribe();
        edits.unsubscribe();
      });
    });
    effect(() => {
      if (this.open() && this.unreadCount > 0) {
        this.unreadCount = 0;
        this.unread.emit(0);
      }
    });
    afterRenderEffect(() => {
      this.lastId();
      const el = this.list()?.nativeElement;
      if (el) el.scrollTop = el.scrollHeight;
    });
  }

  protected nameOf(userId: string): string {
    const known = this.host.users().get(userId)?.displayName ?? this.names().get(userId);
    if (known) return known;
    void this.host
      .loadUser(userId)
      .then((u) => this.names.set(new Map(this.names()).set(userId, u.displayName)))
      .catch(() => undefined);
    return '…';
  }

  protected mine(message: ChatMessage): boolean {
    return message.authorId === this.host.me()?.id;
  }

  protected details(attachment: MessageAttachment): string {
    return attachmentDetails(attachment);
  }

  protected href(attachment: MessageAttachment): string {
    return this.host.serverUrl(attachment.url);
  }

  protected onInput(event: Event): void {
    this.draft.set((event.target as HTMLTextAreaElement).value);
  }

  protected onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void this.send();
    }
  }

  protected async send(): Promise<void> {
    const body = this.draft().trim();
    if (!body || this.sending()) return;
    this.sending.set(true);
    this.error.set(null);
    try {
      const message = await this.host.request('room.send', {
        roomId: this.roomId(),
        body,
        threadId: this.threadId(),
      });
      this.merge([message]);
      this.draft.set('');
    } catch (err) {
      this.error.set(errorText(err, 'The message was not sent.'));
    } finally {
      this.sending.set(false);
    }
  }

  private receive(message: ChatMessage): void {
    const isNew = !this.messages().some((m) => m.id === message.id);
    this.merge([message]);
    if (isNew && !this.open() && !this.mine(message)) {
      this.unreadCount += 1;
      this.unread.emit(this.unreadCount);
    }
  }

  private merge(incoming: readonly ChatMessage[]): void {
    const byId = new Map(this.messages().map((m) => [m.id, m]));
    for (const m of incoming) byId.set(m.id, m);
    this.messages.set(
      [...byId.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)),
    );
  }
}

function errorText(err: unknown, fallback: string): string {
  return err instanceof Error && err.message ? err.message : fallback;
}
