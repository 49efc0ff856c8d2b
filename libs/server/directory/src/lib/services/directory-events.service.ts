import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { ActivityPost, ChatMessage, UserSummary } from '@parley/protocol';
import { Subject, type Observable } from 'rxjs';

/**
 * A library's in-process announcements (`emit` -> `events$`), completed at shutdown. Extend it with
 * the library's event type as an `@Injectable()`.
 */
export abstract class EventBus<E> implements OnModuleDestroy {
  private readonly subject = new Subject<E>();
  readonly events$: Observable<E> = this.subject.asObservable();

  emit(event: E): void {
    this.subject.next(event);
  }

  onModuleDestroy(): void {
    this.subject.complete();
  }
}

/** A sign-in that failed: a wrong password or username, or a portal token that did not verify. */
export interface FailedSignIn {
  kind: 'password' | 'portal_token';
  /** The username tried (password sign-ins); null for a portal token. */
  username: string | null;
  ip: string | null;
  /** e.g. `wrong_password`, `unknown_user`, `no_password`, `invalid_token`. */
  reason: string;
}

/**
 * What the services announce; the socket gateway turns most into pushes, the conferencing
 * library audits failed sign-ins.
 */
export type DirectoryEvent =
  | { type: 'room.message'; message: ChatMessage }
  /** A stored message changed (e.g. its recording was deleted), to the room's members. */
  | { type: 'room.message.updated'; message: ChatMessage }
  /** A slash command's reply, to the sender's tabs only. */
  | { type: 'room.ephemeral'; userId: string; message: ChatMessage }
  | { type: 'room.created'; roomId: string; memberIds: string[] }
  /**
   * Pushed to everyone; `thisNode`: to this node's tabs only (a tab coming or going: in cluster
   * mode every node tells its own tabs, from what the other nodes announce).
   */
  | { type: 'presence.changed'; user: UserSummary; thisNode?: boolean }
  /**
   * This node's first tab of a user connected (`online`) or its last one closed; `user.presence`
   * is the user's stored choice. Not pushed: the app's cluster sync tells the other nodes.
   */
  | { type: 'presence.tabs'; user: UserSummary; online: boolean }
  | { type: 'post.created'; post: ActivityPost }
  | { type: 'auth.sign_in_failed'; attempt: FailedSignIn };

@Injectable()
export class DirectoryEvents extends EventBus<DirectoryEvent> {}
