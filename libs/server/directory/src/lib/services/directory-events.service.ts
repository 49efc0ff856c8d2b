import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { ActivityPost, ChatMessage, UserSummary } from '@parley/protocol';
import { Subject, type Observable } from 'rxjs';

/** What the services announce; the socket gateway turns these into pushes. */
export type DirectoryEvent =
  | { type: 'room.message'; message: ChatMessage }
  /** A slash command's reply, to the sender's tabs only. */
  | { type: 'room.ephemeral'; userId: string; message: ChatMessage }
  | { type: 'room.created'; roomId: string; memberIds: string[] }
  | { type: 'presence.changed'; user: UserSummary }
  | { type: 'post.created'; post: ActivityPost };

@Injectable()
export class DirectoryEvents implements OnModuleDestroy {
  private readonly subject = new Subject<DirectoryEvent>();
  readonly events$: Observable<DirectoryEvent> = this.subject.asObservable();

  emit(event: DirectoryEvent): void {
    this.subject.next(event);
  }

  onModuleDestroy(): void {
    this.subject.complete();
  }
}
