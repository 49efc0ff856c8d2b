import { Injectable } from '@nestjs/common';
import type { SocketEventName, SocketEvents } from '@parley/protocol';
import { Subject } from 'rxjs';

/** A push to every tab of some users (optionally except one socket). */
export interface CallPush<E extends SocketEventName = SocketEventName> {
  userIds: string[];
  event: E;
  data: SocketEvents[E];
  exceptSocketId?: string;
}

/** Call pushes, delivered by the calls gateway to the `user:<id>` socket.io rooms. */
@Injectable()
export class CallEvents {
  private readonly subject = new Subject<CallPush>();
  readonly pushes$ = this.subject.asObservable();

  push<E extends SocketEventName>(
    userIds: string[],
    event: E,
    data: SocketEvents[E],
    exceptSocketId?: string,
  ): void {
    this.subject.next({ userIds, event, data, exceptSocketId } as CallPush);
  }
}
