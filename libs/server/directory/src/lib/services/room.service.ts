import { BadRequestException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import type { ChatMessage, MessageAttachment, RoomKind, RoomSummary } from '@parley/protocol';
import type { MessageEntity, RoomEntity } from '../entities';
import { MessageRepository, RoomRepository, UserRepository } from '../repositories';
import { newId, nowIso } from '../util/time';
import { DirectoryEvents } from './directory-events.service';
import { RoomCommands } from './room-commands.service';
import { ROOM_SLUG_PATTERN } from './room-resolver.service';

export const DEFAULT_MESSAGES_LIMIT = 50;
export const MAX_MESSAGES_LIMIT = 200;
export const MAX_BODY_LENGTH = 4000;

/** What a stored message looks like on the wire; root messages carry `replyCount` (0 by default). */
export function toChatMessage(message: MessageEntity, replyCount = 0): ChatMessage {
  const chat: ChatMessage = {
    id: message.id,
    roomId: message.roomId,
    authorId: message.authorId,
    body: message.body,
    createdAt: message.createdAt,
    threadId: message.threadId ?? null,
    attachment: message.attachment ?? null,
  };
  if (!message.threadId) chat.replyCount = replyCount;
  return chat;
}

/** Options of {@link RoomService.post}. */
export interface PostMessageOptions {
  /** Post as a reply in this thread (a root message id of the same room). */
  threadId?: string;
  /** A file shown with the message (e.g. a call recording). */
  attachment?: MessageAttachment;
}

function checkBody(body: string): string {
  const text = typeof body === 'string' ? body.trim() : '';
  if (text.length === 0) {
    throw new BadRequestException('body must not be empty');
  }
  if (text.length > MAX_BODY_LENGTH) {
    throw new BadRequestException(`body must be at most ${MAX_BODY_LENGTH} characters`);
  }
  return text;
}

/** Name of the direct-message room of two users: stable whoever opens it. */
export function directRoomName(a: string, b: string): string {
  return `dm-${[a, b].sort().join('-')}`;
}

@Injectable()
export class RoomService {
  constructor(
    private readonly rooms: RoomRepository,
    private readonly messages: MessageRepository,
    private readonly users: UserRepository,
    private readonly events: DirectoryEvents,
    private readonly commands: RoomCommands,
  ) {}

  /** Rooms of the user, most recently active first (empty rooms last, by name). */
  async listFor(userId: string): Promise<RoomSummary[]> {
    const summaries = await this.summarise(await this.rooms.roomsOf(userId), userId);
    return summaries.sort(
      (a, b) => (b.lastMessageAt ?? '').localeCompare(a.lastMessageAt ?? '') || a.name.localeCompare(b.name),
    );
  }

  /** 404 for an unknown room, 403 for a room the user is not a member of. */
  async getFor(roomId: string, userId: string): Promise<RoomSummary> {
    const room = await this.requireMember(roomId, userId);
    const [summary] = await this.summarise([room], userId);
    return summary;
  }

  /**
   * Members only. Without `thread`: the room's root messages, newest first, each with its
   * `replyCount` (one grouped query). With `thread`: that thread's replies, newest first (404 when
   * it is not a message of this room, 400 when it is a reply itself). Paged backwards with `before`.
   */
  async messagesFor(
    roomId: string,
    userId: string,
    limit?: number,
    before?: string,
    thread?: string,
  ): Promise<ChatMessage[]> {
    await this.requireMember(roomId, userId);
    const take = Math.min(Math.max(limit ?? DEFAULT_MESSAGES_LIMIT, 1), MAX_MESSAGES_LIMIT);
    if (thread) {
      await this.requireThreadRoot(roomId, thread);
      return (await this.messages.list(roomId, take, before, thread)).map((m) => toChatMessage(m));
    }
    const roots = await this.messages.list(roomId, take, before);
    const counts = await this.messages.replyCounts(roots.map((m) => m.id));
    return roots.map((m) => toChatMessage(m, counts.get(m.id) ?? 0));
  }

  /**
   * A member's message (REST and socket `room.send`): stored and pushed to the room's members
   * (`room.message`), as a reply when `threadId` names a root message of the room. A registered
   * slash command runs instead and answers ephemerally (in the thread when sent in one).
   */
  async send(roomId: string, authorId: string, body: string, threadId?: string): Promise<ChatMessage> {
    const text = checkBody(body);
    const room = await this.requireMember(roomId, authorId);
    if (threadId) await this.requireThreadRoot(roomId, threadId);
    const command = this.commands.match(text);
    if (command) return this.runCommand(room, authorId, command, threadId);
    return this.store(roomId, authorId, text, { threadId });
  }

  /**
   * For other server modules (calls, recordings): stores a message and pushes `room.message` to the
   * room's members. No slash commands and no membership check of the author (the caller
   * authorizes); the room must exist (404) and `threadId`, when given, must be a root message of
   * the room (404/400). A reply does not re-push its root: clients bump the root's `replyCount`
   * when they see a reply.
   */
  async post(
    roomId: string,
    authorId: string,
    body: string,
    options: PostMessageOptions = {},
  ): Promise<ChatMessage> {
    const text = checkBody(body);
    if (!(await this.rooms.findById(roomId))) {
      throw new NotFoundException(`Room ${roomId} not found`);
    }
    if (options.threadId) await this.requireThreadRoot(roomId, options.threadId);
    return this.store(roomId, authorId, text, options);
  }

  /**
   * For other server modules: rewrites a stored message (e.g. a recording's post once the recording
   * is deleted: a new body, no attachment) and pushes `room.message.updated` to the room's members.
   * Null when the message is gone (nothing pushed). The caller authorizes.
   */
  async rewrite(
    messageId: string,
    body: string,
    attachment: MessageAttachment | null = null,
  ): Promise<ChatMessage | null> {
    const text = checkBody(body);
    if (!(await this.messages.update(messageId, { body: text, attachment }))) return null;
    const message = await this.messages.findById(messageId);
    if (!message) return null;
    const replies = message.threadId
      ? 0
      : ((await this.messages.replyCounts([message.id])).get(message.id) ?? 0);
    const chat = toChatMessage(message, replies);
    this.events.emit({ type: 'room.message.updated', message: chat });
    return chat;
  }

  private async store(
    roomId: string,
    authorId: string,
    text: string,
    options: PostMessageOptions,
  ): Promise<ChatMessage> {
    const message = await this.messages.create({
      id: newId(),
      roomId,
      authorId,
      body: text,
      createdAt: nowIso(),
      threadId: options.threadId ?? null,
      attachment: options.attachment ?? null,
    });
    const chat = toChatMessage(message);
    this.events.emit({ type: 'room.message', message: chat });
    return chat;
  }

  /** The root message of a thread of this room: 404 when unknown here, 400 when it is a reply. */
  private async requireThreadRoot(roomId: string, threadId: string): Promise<MessageEntity> {
    const root = await this.messages.findById(threadId);
    if (!root || root.roomId !== roomId) {
      throw new NotFoundException(`Thread ${threadId} not found in this room`);
    }
    if (root.threadId) {
      throw new BadRequestException(
        `Message ${threadId} is a reply, not a thread: reply to its thread instead`,
      );
    }
    return root;
  }

  /**
   * A slash command: the registered handler runs (membership checked above) and its answer is an
   * ephemeral message for the sender only, pushed to their tabs (`room.ephemeral`), never stored.
   */
  private async runCommand(
    room: RoomEntity,
    userId: string,
    command: NonNullable<ReturnType<RoomCommands['match']>>,
    threadId?: string,
  ): Promise<ChatMessage> {
    const memberIds = (await this.rooms.memberIds([room.id])).get(room.id) ?? [];
    const body = await command.handler({
      roomId: room.id,
      roomKind: room.kind,
      memberIds,
      userId,
      command: command.command,
      args: command.rest ? command.rest.split(/\s+/) : [],
      rest: command.rest,
    });
    const message: ChatMessage = {
      id: newId(),
      roomId: room.id,
      authorId: userId,
      body,
      createdAt: nowIso(),
      ephemeral: true,
    };
    if (threadId) message.threadId = threadId;
    this.events.emit({ type: 'room.ephemeral', userId, message });
    return message;
  }

  /** The direct-message room of two users, created on first use. */
  async getOrCreateDirect(userId: string, otherId: string): Promise<RoomSummary> {
    if (userId === otherId) {
      throw new BadRequestException('userId must be another user than yourself');
    }
    const [me, other] = await Promise.all([this.users.findById(userId), this.users.findById(otherId)]);
    if (!other) {
      throw new NotFoundException(`User ${otherId} not found`);
    }
    if (!me) {
      throw new NotFoundException(`User ${userId} not found`);
    }
    const name = directRoomName(userId, otherId);
    let room = await this.rooms.findByName(name);
    if (!room) {
      try {
        room = await this.createRoom('direct', name, `${me.displayName}, ${other.displayName}`, [
          userId,
          otherId,
        ]);
      } catch (error) {
        // Both users opened the conversation at the same time: the other request won.
        room = await this.rooms.findByName(name);
        if (!room) {
          throw error;
        }
      }
    }
    const [summary] = await this.summarise([room], userId);
    return summary;
  }

  /** `name` is the room's slug (its address in URLs): {@link ROOM_SLUG_PATTERN}, unique. */
  async createRoom(kind: RoomKind, name: string, title: string, memberIds: string[]): Promise<RoomEntity> {
    if (!ROOM_SLUG_PATTERN.test(name)) {
      throw new BadRequestException(
        `Room name "${name}" is not a valid address: use lowercase letters, digits and dashes`,
      );
    }
    const room = await this.rooms.create({ id: newId(), kind, name, title, createdAt: nowIso() }, memberIds);
    this.events.emit({ type: 'room.created', roomId: room.id, memberIds: [...new Set(memberIds)] });
    return room;
  }

  /** Ids of the rooms the user is a member of (to join their socket.io rooms). */
  async roomIdsOf(userId: string): Promise<string[]> {
    return (await this.rooms.roomsOf(userId)).map((room) => room.id);
  }

  private async requireMember(roomId: string, userId: string): Promise<RoomEntity> {
    const room = await this.rooms.findById(roomId);
    if (!room) {
      throw new NotFoundException(`Room ${roomId} not found`);
    }
    if (!(await this.rooms.isMember(roomId, userId))) {
      throw new ForbiddenException('You are not a member of this room');
    }
    return room;
  }

  private async summarise(rooms: RoomEntity[], viewerId: string): Promise<RoomSummary[]> {
    const ids = rooms.map((room) => room.id);
    const [members, last] = await Promise.all([this.rooms.memberIds(ids), this.messages.lastMessageAt(ids)]);
    const otherIds = rooms
      .filter((room) => room.kind === 'direct')
      .flatMap((room) => (members.get(room.id) ?? []).filter((id) => id !== viewerId));
    const others = new Map((await this.users.findByIds([...new Set(otherIds)])).map((u) => [u.id, u]));
    return rooms.map((room) => {
      const memberIds = members.get(room.id) ?? [];
      let title = room.title;
      if (room.kind === 'direct') {
        const other = memberIds.map((id) => others.get(id)).find((user) => user !== undefined);
        title = other?.displayName ?? room.title;
      }
      return {
        id: room.id,
        kind: room.kind,
        name: room.name,
        title,
        memberIds,
        lastMessageAt: last.get(room.id) ?? null,
      };
    });
  }
}
