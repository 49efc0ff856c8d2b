import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import type { ChatMessage, RoomSummary } from '@parley/protocol';
import { ApiClient } from './api-client';
import { RealtimeService } from './realtime.service';
import { SessionService } from './session.service';

/**
 * The rooms of the signed-in user and their messages, kept live with `room.message`: a room's
 * stream holds its root messages; replies go to their thread (`thread(rootId)`) and add 1 to the
 * root's `replyCount` (the server does not push the root again).
 */
@Injectable({ providedIn: 'root' })
export class RoomsStore {
  private readonly api = inject(ApiClient);
  private readonly realtime = inject(RealtimeService);
  private readonly session = inject(SessionService);
  private readonly roomsSignal = signal<readonly RoomSummary[]>([]);
  private readonly messagesSignal = signal<ReadonlyMap<string, readonly ChatMessage[]>>(new Map());
  /** Replies per thread root id, oldest first (those loaded and those seen live). */
  private readonly threadsSignal = signal<ReadonlyMap<string, readonly ChatMessage[]>>(new Map());
  private readonly unreadSignal = signal<ReadonlySet<string>>(new Set());
  /** Rooms currently on screen (room page, mini chat): their messages are read. */
  private readonly visible = new Map<string, number>();
  private loading: Promise<void> | null = null;
  private loaded = false;

  /** Sidebar order: spaces and chat rooms first, then conversations, each by title. */
  readonly rooms = computed(() => {
    const order = { space: 0, chat: 1, group: 2, direct: 3 } as const;
    return [...this.roomsSignal()].sort(
      (a, b) => order[a.kind] - order[b.kind] || a.title.localeCompare(b.title),
    );
  });
  readonly unread = this.unreadSignal.asReadonly();

  constructor() {
    const subs = [
      this.session.signedOut$.subscribe(() => this.reset()),
      this.realtime.events('room.message').subscribe((message) => this.receive(message)),
      // Replies to this user's slash commands (`/call …`), sent from any of their tabs: not stored.
      this.realtime.events('room.ephemeral').subscribe((message) => this.mergeAny(message)),
      // A stored message rewritten (e.g. its recording deleted): replaced where it is shown.
      this.realtime.events('room.message.updated').subscribe((message) => this.replace(message)),
      this.realtime.connected$.subscribe(() => void this.resync()),
    ];
    inject(DestroyRef).onDestroy(() => subs.forEach((s) => s.unsubscribe()));
  }

  load(force = false): Promise<void> {
    if (!force && this.loaded) return Promise.resolve();
    this.loading ??= this.api
      .rooms()
      .then((rooms) => {
        this.roomsSignal.set(rooms);
        this.loaded = true;
      })
      .finally(() => (this.loading = null));
    return this.loading;
  }

  reset(): void {
    this.roomsSignal.set([]);
    this.messagesSignal.set(new Map());
    this.threadsSignal.set(new Map());
    this.unreadSignal.set(new Set());
    this.loaded = false;
  }

  room(id: string): RoomSummary | undefined {
    return this.roomsSignal().find((room) => room.id === id);
  }

  /** Finds a room in the list, or fetches it (e.g. a room opened by URL). */
  async fetchRoom(id: string): Promise<RoomSummary> {
    const known = this.room(id);
    if (known) return known;
    const room = await this.api.room(id);
    this.upsertRoom(room);
    return room;
  }

  /** Messages of a room, oldest first. */
  messages(roomId: string): readonly ChatMessage[] {
    return this.messagesSignal().get(roomId) ?? [];
  }

  async loadMessages(roomId: string): Promise<void> {
    const page = await this.api.messages(roomId, { limit: 100 });
    this.merge(roomId, page);
  }

  /** Replies of a thread, oldest first. */
  thread(rootId: string): readonly ChatMessage[] {
    return this.threadsSignal().get(rootId) ?? [];
  }

  async loadThread(roomId: string, rootId: string): Promise<void> {
    const page = await this.api.messages(roomId, { thread: rootId, limit: 200 });
    this.threadsSignal.set(mergeInto(this.threadsSignal(), rootId, page));
  }

  /** Sends over the socket (`room.send`), in a thread with `threadId`; the acknowledged message is shown at once. */
  async send(roomId: string, body: string, threadId?: string): Promise<ChatMessage> {
    const message = await this.realtime.request(
      'room.send',
      threadId ? { roomId, body, threadId } : { roomId, body },
    );
    if (message.ephemeral) this.mergeAny(message);
    else this.receive(message);
    return message;
  }

  /** Gets or creates the direct-message room with a user. */
  async direct(userId: string): Promise<RoomSummary> {
    const room = await this.api.directRoom(userId);
    this.upsertRoom(room);
    return room;
  }

  /** Marks a room as on screen until the returned function is called. */
  markVisible(roomId: string): () => void {
    this.visible.set(roomId, (this.visible.get(roomId) ?? 0) + 1);
    this.clearUnread(roomId);
    return () => {
      const count = (this.visible.get(roomId) ?? 1) - 1;
      if (count > 0) this.visible.set(roomId, count);
      else this.visible.delete(roomId);
    };
  }

  receive(message: ChatMessage): void {
    this.mergeAny(message);
    const room = this.room(message.roomId);
    if (!room) {
      // A room we did not know yet (e.g. someone opened a direct message with us).
      void this.load(true);
    } else if (!room.lastMessageAt || room.lastMessageAt < message.createdAt) {
      this.upsertRoom({ ...room, lastMessageAt: message.createdAt });
    }
    const mine = message.authorId === this.session.user()?.id;
    if (!mine && !this.visible.has(message.roomId)) {
      this.unreadSignal.update((set) => new Set(set).add(message.roomId));
    }
  }

  private clearUnread(roomId: string): void {
    if (!this.unreadSignal().has(roomId)) return;
    this.unreadSignal.update((set) => {
      const next = new Set(set);
      next.delete(roomId);
      return next;
    });
  }

  private upsertRoom(room: RoomSummary): void {
    this.roomsSignal.update((rooms) =>
      rooms.some((r) => r.id === room.id)
        ? rooms.map((r) => (r.id === room.id ? room : r))
        : [...rooms, room],
    );
  }

  private merge(roomId: string, incoming: readonly ChatMessage[]): void {
    this.messagesSignal.set(mergeInto(this.messagesSignal(), roomId, incoming));
  }

  /** A root message into its room's stream; a reply into its thread, counted once on its root. */
  private mergeAny(message: ChatMessage): void {
    const rootId = message.threadId;
    if (!rootId) {
      this.merge(message.roomId, [message]);
      return;
    }
    const isNew = !this.thread(rootId).some((m) => m.id === message.id);
    this.threadsSignal.set(mergeInto(this.threadsSignal(), rootId, [message]));
    if (!isNew || message.ephemeral) return;
    const stream = this.messages(message.roomId);
    const root = stream.find((m) => m.id === rootId);
    if (root) this.merge(message.roomId, [{ ...root, replyCount: (root.replyCount ?? 0) + 1 }]);
  }

  /** Replaces a message already shown (stream or thread); one not loaded stays unloaded. */
  private replace(message: ChatMessage): void {
    const rootId = message.threadId;
    if (rootId) {
      if (this.thread(rootId).some((m) => m.id === message.id)) {
        this.threadsSignal.set(mergeInto(this.threadsSignal(), rootId, [message]));
      }
    } else if (this.messages(message.roomId).some((m) => m.id === message.id)) {
      this.merge(message.roomId, [message]);
    }
  }

  private async resync(): Promise<void> {
    if (!this.loaded) return;
    await this.load(true);
    await Promise.all([...this.visible.keys()].map((id) => this.loadMessages(id)));
  }
}

/** `incoming` merged into the list at `key` (by id, oldest first). */
function mergeInto(
  lists: ReadonlyMap<string, readonly ChatMessage[]>,
  key: string,
  incoming: readonly ChatMessage[],
): ReadonlyMap<string, readonly ChatMessage[]> {
  const byId = new Map((lists.get(key) ?? []).map((m) => [m.id, m]));
  for (const message of incoming) byId.set(message.id, message);
  const sorted = [...byId.values()].sort(
    (a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
  );
  const next = new Map(lists);
  next.set(key, sorted);
  return next;
}
