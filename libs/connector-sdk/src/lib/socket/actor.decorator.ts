import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Socket } from 'socket.io';
import { SocketError } from './socket-error';

/**
 * What every Parley socket carries once the namespace's authentication middleware let it in (the
 * server app installs that middleware before any gateway sees a connection).
 */
export interface ParleySocketData {
  /** The signed-in user; absent only on a socket that was never authenticated. */
  userId?: string;
}

/** Who sent a socket request: the user, and which of their tabs (socket id). */
export interface SocketActor {
  userId: string;
  socketId: string;
}

/** The authenticated sender of a socket, or `unauthorized`. */
export function actorOf(socket: Pick<Socket, 'id' | 'data'>): SocketActor {
  const userId = (socket.data as ParleySocketData | undefined)?.userId;
  if (!userId) throw new SocketError('unauthorized', 'Sign in first');
  return { userId, socketId: socket.id };
}

/**
 * The request's {@link SocketActor} as a handler parameter (`@Actor() actor: SocketActor`). A
 * socket without a user is refused `unauthorized` before the handler runs, so no gateway depends on
 * the middleware silently.
 */
export const Actor = createParamDecorator((_data: unknown, context: ExecutionContext): SocketActor =>
  actorOf(context.switchToWs().getClient<Socket>()),
);
