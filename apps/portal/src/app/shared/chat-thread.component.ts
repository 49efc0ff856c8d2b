import {
  ChangeDetectionStrategy,
  Component,
  type ElementRef,
  afterRenderEffect,
  computed,
  effect,
  inject,
  input,
  signal,
  viewChild,
} from '@angular/core';
import { NgTemplateOutlet } from '@angular/common';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { type ChatMessage, type MessageAttachment, attachmentDetails } from '@parley/protocol';
import { ApiClient } from '../core/api-client';
import { RoomsStore } from '../core/rooms.store';
import { SessionService } from '../core/session.service';
import { ClockPipe } from './time-ago.pipe';
import { UserChipComponent } from './user-chip.component';

const LINK = /(https?:\/\/[^\s]+|\/rooms\/[^\s/]+\/call)/;
const LINK_WHOLE = /^(https?:\/\/[^\s]+|\/rooms\/[^\s/]+\/call)$/;

/** The in-app path of a link to this portal, or null for an outside link. */
function appRoute(link: string): string | null {
  if (link.startsWith('/')) return link;
  try {
    const url = new URL(link);
    return url.origin === globalThis.location?.origin ? url.pathname + url.search : null;
  } catch {
    return null;
  }
}

/**
 * The messages of one room (oldest at the top, scrolled to the newest) and a composer:
 * Enter sends, Shift+Enter adds a line, the send button is disabled while the input is empty.
 * The stream shows root messages; "N replies" (or "Reply") opens a thread inline with its
 * replies and a reply box, kept live by `room.message`. Attachments (call recordings) show as a
 * file row with a Download link. Used by the room page and the mini chat.
 */
@Component({
  selector: 'parley-chat-thread',
  imports: [FormsModule, NgTemplateOutlet, RouterLink, UserChipComponent, ClockPipe],
  templateUrl: './chat-thread.component.html',
  styleUrl: './chat-thread.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[class.compact]': 'compact()' },
})
export class ChatThreadComponent {
  private readonly rooms = inject(RoomsStore);
  private readonly api = inject(ApiClient);
  private readonly session = inject(SessionService);
  private readonly list = viewChild.required<ElementRef<HTMLElement>>('list');
  private readonly input = viewChild.required<ElementRef<HTMLTextAreaElement>>('input');

  readonly roomId = input.required<string>();
  /** Smaller avatars and spacing (mini chat). */
  readonly compact = input(false);
  /** Placeholder of the composer. */
  readonly placeholder = input('Write a message…');

  protected readonly messages = computed(() => this.rooms.messages(this.roomId()));
  protected readonly loading = signal(true);
  protected readonly draft = signal('');
  protected readonly sending = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly canSend = computed(() => this.draft().trim().length > 0);
  /** Threads open inline (root message ids). */
  protected readonly openThreads = signal<ReadonlySet<string>>(new Set());
  /** Reply drafts per thread root id. */
  protected readonly replyDrafts = signal<ReadonlyMap<string, string>>(new Map());
  private readonly lastMessageId = computed(() => this.messages().at(-1)?.id);

  constructor() {
    effect((onCleanup) => {
      const roomId = this.roomId();
      this.loading.set(true);
      this.error.set(null);
      onCleanup(this.rooms.markVisible(roomId));
      this.rooms.loadMessages(roomId).then(
        () => this.loading.set(false),
        (err: unknown) => {
          this.loading.set(false);
          this.error.set(err instanceof Error ? err.message : 'Could not load the messages.');
        },
      );
    });
    afterRenderEffect(() => {
      // Only a new last message scrolls (not a reply count going up, not a thread opening).
      this.lastMessageId();
      const el = this.list().nativeElement;
      el.scrollTop = el.scrollHeight;
    });
  }

  protected async send(): Promise<void> {
    const body = this.draft().trim();
    if (!body || this.sending()) return;
    this.sending.set(true);
    this.error.set(null);
    try {
      await this.rooms.send(this.roomId(), body);
      this.draft.set('');
    } catch (err) {
      this.error.set(err instanceof Error ? err.message : 'The message was not sent.');
    } finally {
      this.sending.set(false);
      this.input().nativeElement.focus();
    }
  }

  protected isOpen(rootId: string): boolean {
    return this.openThreads().has(rootId);
  }

  protected replies(rootId: string): readonly ChatMessage[] {
    return this.rooms.thread(rootId);
  }

  protected replyLabel(message: ChatMessage): string {
    const count = message.replyCount ?? 0;
    if (count === 0) return this.isOpen(message.id) ? 'Hide thread' : 'Reply';
    return count === 1 ? '1 reply' : `${count} replies`;
  }

  /** Opens (and loads) or closes a message's thread. */
  protected toggleThread(root: ChatMessage): void {
    const open = new Set(this.openThreads());
    if (open.delete(root.id)) {
      this.openThreads.set(open);
      return;
    }
    this.openThreads.set(open.add(root.id));
    this.rooms.loadThread(root.roomId, root.id).catch((err: unknown) => {
      this.error.set(err instanceof Error ? err.message : 'Could not load the thread.');
    });
  }

  protected replyDraft(rootId: string): string {
    return this.replyDrafts().get(rootId) ?? '';
  }

  protected setReplyDraft(rootId: string, text: string): void {
    this.replyDrafts.set(new Map(this.replyDrafts()).set(rootId, text));
  }

  protected async sendReply(rootId: string): Promise<void> {
    const body = this.replyDraft(rootId).trim();
    if (!body || this.sending()) return;
    this.sending.set(true);
    this.error.set(null);
    try {
      await this.rooms.send(this.roomId(), body, rootId);
      this.setReplyDraft(rootId, '');
    } catch (err) {
      this.error.set(err instanceof Error ? err.message : 'The reply was not sent.');
    } finally {
      this.sending.set(false);
    }
  }

  protected onReplyKeydown(event: KeyboardEvent, rootId: string): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void this.sendReply(rootId);
    }
  }

  /** Recordings whose deletion is under way (their Delete button is disabled). */
  protected readonly deleting = signal<ReadonlySet<string>>(new Set());

  /**
   * A recording's post is written as the host who recorded it: they (and admins) may delete it.
   * The server decides (403 otherwise); this only hides a button that would be refused.
   */
  protected canDelete(message: ChatMessage): boolean {
    const me = this.session.user();
    return !!me && (me.id === message.authorId || me.isAdmin);
  }

  /** Deletes the recording after a confirmation; the post then comes back rewritten (`room.message.updated`). */
  protected async deleteRecording(file: MessageAttachment): Promise<void> {
    if (!confirm(`Delete the recording "${file.name}" for everyone? This cannot be undone.`)) return;
    this.deleting.update((ids) => new Set(ids).add(file.id));
    this.error.set(null);
    try {
      await this.api.deleteRecording(file.id);
    } catch (err) {
      this.error.set(err instanceof Error ? err.message : 'The recording was not deleted.');
    } finally {
      this.deleting.update((ids) => {
        const next = new Set(ids);
        next.delete(file.id);
        return next;
      });
    }
  }

  protected details(attachment: MessageAttachment): string {
    return attachmentDetails(attachment);
  }

  /**
   * The body with its links made clickable. A link into this portal (a room's call link
   * `/rooms/<id>/call`, relative or on this origin) navigates inside the app (no reload: a call
   * going on in this tab is kept).
   */
  protected parts(body: string): { text: string; href: string | null; route: string | null }[] {
    return body
      .split(LINK)
      .filter((text) => text.length > 0)
      .map((text) => {
        if (!LINK_WHOLE.test(text)) return { text, href: null, route: null };
        return { text, href: text, route: appRoute(text) };
      });
  }

  protected onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void this.send();
    }
  }
}
