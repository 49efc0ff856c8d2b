import { Injectable } from '@nestjs/common';
import type { RoomKind } from '@parley/protocol';

/** What a slash command handler gets: who typed what in which room (membership already checked). */
export interface RoomCommandContext {
  roomId: string;
  roomKind: RoomKind;
  /** Ids of the room's members (as read for the membership check). */
  memberIds: string[];
  userId: string;
  /** The command word without the slash, e.g. `call`. */
  command: string;
  /** The words after the command (`/call start Weekly sync` -> `['start', 'Weekly', 'sync']`). */
  args: string[];
  /** Everything after the command word, trimmed (`start Weekly sync`). */
  rest: string;
}

/** A handler answers with the text of an ephemeral reply shown to the sender only. */
export type RoomCommandHandler = (context: RoomCommandContext) => Promise<string> | string;

/**
 * Extension point for slash commands typed in rooms (`/call start`): another library registers a
 * handler for a command word; the room send path (REST and socket `room.send`) runs it instead of
 * storing the message. The directory knows nothing about what the commands do.
 */
@Injectable()
export class RoomCommands {
  private readonly handlers = new Map<string, RoomCommandHandler>();

  register(command: string, handler: RoomCommandHandler): void {
    if (!/^[a-z][a-z0-9-]*$/.test(command)) throw new Error(`Invalid command name ${command}`);
    this.handlers.set(command, handler);
  }

  /** The command word of a body like `/call start`, if a handler is registered for it. */
  match(body: string): { command: string; handler: RoomCommandHandler; rest: string } | null {
    const found = /^\/([a-z][a-z0-9-]*)(?:\s+([\s\S]*))?$/.exec(body);
    if (!found) return null;
    const handler = this.handlers.get(found[1]);
    return handler ? { command: found[1], handler, rest: (found[2] ?? '').trim() } : null;
  }
}
