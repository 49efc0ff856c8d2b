import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { WebSocketGateway } from '@nestjs/websockets';
import { SocketRelayInterceptor } from './socket-relay.interceptor';
import { SocketReplyInterceptor } from './socket-reply.interceptor';

/** Where Parley's one socket.io server listens, on the HTTP server. */
export const SOCKET_PATH = '/socket.io';

/**
 * A gateway on Parley's shared socket (`/socket.io`) behind the socket edge: every handler's return
 * value or error becomes its `SocketReply` ({@link SocketReplyInterceptor}); with several nodes, a
 * request another node must answer is relayed there first ({@link SocketRelayInterceptor}). Handlers take
 * `@Actor()` and `@Payload()` parameters and stay one-liners:
 *
 * ```ts
 * @ParleyGateway()
 * export class CallsGateway {
 *   @SubscribeMessage('call.answer')
 *   answer(@Actor() actor: SocketActor, @Payload() { callId }: CallIdDto) {
 *     return this.calls.answer(actor, callId);
 *   }
 * }
 * ```
 */
export const ParleyGateway = (): ClassDecorator =>
  applyDecorators(
    WebSocketGateway({ path: SOCKET_PATH, serveClient: false }),
    UseInterceptors(SocketRelayInterceptor, SocketReplyInterceptor),
  );

/** socket.io room holding every tab of a user. */
export const userChannel = (userId: string): string => `user:${userId}`;
