import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { DiscoveryService, MetadataScanner, ModuleRef } from '@nestjs/core';
import { MESSAGE_MAPPING_METADATA, MESSAGE_METADATA } from '@nestjs/websockets/constants';
import {
  type ParleySocketData,
  type SocketActor,
  type SocketRelay,
  SocketValidationPipe,
  toSocketErrorReply,
} from '@parley/connector-sdk';
import type { SocketReply } from '@parley/protocol';
import { CallsGateway, LiveCalls } from '@parley/server-calls';
import { randomUUID } from 'node:crypto';
import type { Server, Socket } from 'socket.io';
import { REDIS_CLUSTER } from './cluster-sync.service';
import { RedisCallIndex, type RouteKind } from './redis-call-index';
import { CLUSTER_KEYS, type RedisCluster } from './redis-cluster';

/** Events that act on a call, answered by the node hosting it (its state and its media router). */
const ROUTED_EVENT = /^(call|webrtc)\./;
/** How long a relayed request may take on the hosting node (a join waits for the provider's `prepare`). */
export const RELAY_TIMEOUT_MS = 15_000;

type RelayMessage =
  | { kind: 'request'; id: string; from: string; event: string; actor: SocketActor; payload: unknown }
  | { kind: 'reply'; id: string; reply: SocketReply<unknown> }
  /** A tab of a user whose call is hosted on the receiving node connected or closed elsewhere. */
  | { kind: 'socket'; change: 'connected' | 'disconnected'; userId: string; socketId: string };

interface Handler {
  invoke(actor: SocketActor, payload?: unknown): unknown;
  /** The DTO class of the payload (validated as the socket edge does), or none for actor-only handlers. */
  payloadType?: abstract new (...args: never[]) => unknown;
}

/** What socket connection hooks of the call gateways read of a socket: its id and its user. */
type RelayedSocket = Pick<Socket<never, never, never, ParleySocketData>, 'id' | 'data'>;

interface SocketHooks {
  handleConnection?(socket: RelayedSocket): unknown;
  handleDisconnect?(socket: RelayedSocket): unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Which call a request is about: the room's call for the room events and a room-target start,
 * the call by id when the payload names one, otherwise the sender's own call (`webrtc.*` by
 * transport/producer/consumer id, `call.current`). A one-to-one start is placed where it is sent.
 */
export function routeOf(
  event: string,
  payload: unknown,
  userId: string,
): { kind: RouteKind; id: string } | null {
  if (!ROUTED_EVENT.test(event)) return null;
  const fields = isRecord(payload) ? payload : {};
  if (event === 'call.start') {
    const target = fields['target'];
    return isRecord(target) && target['kind'] === 'room' && typeof target['roomId'] === 'string'
      ? { kind: 'room', id: target['roomId'] }
      : null;
  }
  if (event === 'call.room.get' || event === 'call.room.join') {
    return typeof fields['roomId'] === 'string' ? { kind: 'room', id: fields['roomId'] } : null;
  }
  if (typeof fields['callId'] === 'string') return { kind: 'call', id: fields['callId'] };
  return { kind: 'user', id: userId };
}

/**
 * Cluster mode: a call lives on one node (where it was placed: its state, timers, history writes
 * and media router). A request about it that reaches another node's socket is relayed to that
 * node over Redis pub/sub (`parley:relay:<node>`) and its reply comes back the same way; so do
 * the connects and closes of the tabs of its participants, which the call gateways track
 * (reconnect grace, a closed tab's transports). Pushes need no relay: they go out through the
 * socket.io Redis adapter to every node.
 */
@Injectable()
export class CallRelay implements SocketRelay, OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('CallRelay');
  private readonly handlers = new Map<string, Handler>();
  private readonly gateways: SocketHooks[] = [];
  private readonly pending = new Map<
    string,
    { done: (reply: SocketReply<unknown>) => void; timer: NodeJS.Timeout }
  >();
  private readonly pipe = new SocketValidationPipe();
  readonly index: RedisCallIndex;
  private liveCalls?: LiveCalls;

  constructor(
    @Inject(REDIS_CLUSTER) private readonly cluster: RedisCluster,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly moduleRef: ModuleRef,
  ) {
    this.index = new RedisCallIndex(cluster, this.logger);
  }

  /** Before any bootstrap hook: the call history's start-up sweep asks the index already. */
  onModuleInit(): void {
    this.liveCalls = this.moduleRef.get(LiveCalls, { strict: false });
    this.liveCalls.useIndex(this.index);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.collectHandlers();
    const channel = CLUSTER_KEYS.relay(this.cluster.nodeId);
    this.cluster.subscriber.on('message', (from: string, text: string) => {
      if (from === channel) void this.receive(text);
    });
    await this.cluster.subscriber.subscribe(channel);
    const server: Server | undefined = this.moduleRef.get(CallsGateway, { strict: false }).server;
    server?.on('connection', (socket: Socket) => this.watch(socket));
    // After a Redis outage (a restart loses every key): this node's calls written again.
    this.cluster.commands.on('ready', () => void this.resyncIndex());
  }

  /** Writes this node's live calls (their bound users and rooms) into the index again. */
  private async resyncIndex(): Promise<void> {
    const calls = this.liveCalls;
    if (!calls) return;
    let written = 0;
    try {
      for (const live of calls.live()) {
        await this.index.claim(live.machine.id, calls.boundUsers(live), live.room?.id ?? null);
        written++;
      }
      if (written > 0)
        this.logger.log(`Redis is back: ${written} live call(s) of this node written to the index again`);
    } catch (error) {
      this.warn('rewriting the call index after a Redis outage', error);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    for (const { done, timer } of this.pending.values()) {
      clearTimeout(timer);
      done({ ok: false, error: { code: 'unavailable', message: 'This server is shutting down: try again' } });
    }
    this.pending.clear();
    await this.index.flushed();
  }

  /** The reply of the node hosting the call `event` is about, or null when that is this node. */
  async relay(event: string, payload: unknown, actor: SocketActor): Promise<SocketReply<unknown> | null> {
    const node = await this.hostOf(event, payload, actor.userId);
    return node ? this.request(node, event, actor, payload) : null;
  }

  /** The node to relay `event` to, or null to answer it here. */
  async hostOf(event: string, payload: unknown, userId: string): Promise<string | null> {
    const route = routeOf(event, payload, userId);
    if (!route || this.hostedHere(route)) return null;
    const node = await this.index.route(route.kind, route.id);
    return node && node !== this.cluster.nodeId ? node : null;
  }

  /** This node hosts the call (no Redis round trip for its own participants' requests). */
  private hostedHere(route: { kind: RouteKind; id: string }): boolean {
    const calls = this.liveCalls;
    if (!calls) return false;
    if (route.kind === 'call') return calls.get(route.id) !== undefined;
    if (route.kind === 'room') return calls.ofRoom(route.id) !== undefined;
    const live = calls.ofUser(route.id);
    return live !== undefined && !live.machine.ended;
  }

  /** Sends the request to `node` and resolves with its reply (`unavailable` when none comes in time). */
  request(node: string, event: string, actor: SocketActor, payload: unknown): Promise<SocketReply<unknown>> {
    const id = randomUUID();
    return new Promise((done) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        done({
          ok: false,
          error: { code: 'unavailable', message: "The call's server did not answer in time: try again" },
        });
      }, RELAY_TIMEOUT_MS);
      this.pending.set(id, { done, timer });
      const message: RelayMessage = { kind: 'request', id, from: this.cluster.nodeId, event, actor, payload };
      const fail = (message: string) => {
        clearTimeout(timer);
        this.pending.delete(id);
        done({ ok: false, error: { code: 'unavailable', message } });
      };
      this.publish(node, message).then(
        // Nobody listening: the node has just died (its lease has not expired yet).
        (receivers) => receivers === 0 && fail("The call's server is gone: try again in a few seconds"),
        () => fail('The cluster is unreachable: try again'),
      );
    });
  }

  /** Every `@SubscribeMessage` of a routed event, by event name, bound to its gateway. */
  private collectHandlers(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!isRecord(instance) || !Object.getPrototypeOf(instance)) continue;
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      let routed = false;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const method = prototype[name];
        if (typeof method !== 'function' || !Reflect.getMetadata(MESSAGE_MAPPING_METADATA, method)) continue;
        const event: unknown = Reflect.getMetadata(MESSAGE_METADATA, method);
        if (typeof event !== 'string' || !ROUTED_EVENT.test(event)) continue;
        routed = true;
        // Handlers take (@Actor() actor, @Payload() dto) or just the actor.
        const types = (Reflect.getMetadata('design:paramtypes', prototype, name) ??
          []) as Handler['payloadType'][];
        this.handlers.set(event, {
          invoke: (actor, payload) =>
            (method as (...args: unknown[]) => unknown).apply(
              instance,
              payload === undefined ? [actor] : [actor, payload],
            ),
          payloadType: types.length > 1 ? types[1] : undefined,
        });
      }
      if (routed) this.gateways.push(instance as SocketHooks);
    }
  }

  private watch(socket: Socket): void {
    const userId = (socket.data as ParleySocketData | undefined)?.userId;
    if (!userId) return;
    void this.relaySocket('connected', userId, socket.id);
    socket.once('disconnect', () => void this.relaySocket('disconnected', userId, socket.id));
  }

  private async relaySocket(change: 'connected' | 'disconnected', userId: string, socketId: string) {
    try {
      const node = await this.index.route('user', userId);
      if (node && node !== this.cluster.nodeId) {
        await this.publish(node, { kind: 'socket', change, userId, socketId });
      }
    } catch (error) {
      this.warn(`relaying a tab ${change}`, error);
    }
  }

  private async receive(text: string): Promise<void> {
    let message: RelayMessage;
    try {
      message = JSON.parse(text) as RelayMessage;
    } catch {
      return;
    }
    switch (message.kind) {
      case 'reply': {
        const waiting = this.pending.get(message.id);
        if (!waiting) return;
        clearTimeout(waiting.timer);
        this.pending.delete(message.id);
        waiting.done(message.reply);
        return;
      }
      case 'request': {
        const reply = await this.answer(message.event, message.actor, message.payload);
        await this.publish(message.from, { kind: 'reply', id: message.id, reply }).catch((error: unknown) =>
          this.warn(`replying to ${message.event}`, error),
        );
        return;
      }
      case 'socket': {
        const socket: RelayedSocket = { id: message.socketId, data: { userId: message.userId } };
        for (const gateway of this.gateways) {
          try {
            await (message.change === 'connected'
              ? gateway.handleConnection?.(socket)
              : gateway.handleDisconnect?.(socket));
          } catch (error) {
            this.warn(`a relayed tab ${message.change}`, error);
          }
        }
      }
    }
  }

  /** Runs a relayed request as the socket edge would: payload validated, errors as replies. */
  private async answer(event: string, actor: SocketActor, payload: unknown): Promise<SocketReply<unknown>> {
    const handler = this.handlers.get(event);
    if (!handler) return { ok: false, error: { code: 'bad_request', message: 'Unknown request' } };
    try {
      const dto = handler.payloadType
        ? await this.pipe.transform(payload, { type: 'body', metatype: handler.payloadType as never })
        : undefined;
      const data: unknown = await handler.invoke(actor, dto);
      return { ok: true, data: data === undefined ? {} : data };
    } catch (error) {
      const reply = toSocketErrorReply(error);
      if (reply.code === 'internal') this.warn(`relayed ${event}`, error);
      return { ok: false, error: reply };
    }
  }

  /** Resolves with how many subscribers got it (0: the node is not listening). */
  private publish(node: string, message: RelayMessage): Promise<number> {
    return this.cluster.commands.publish(CLUSTER_KEYS.relay(node), JSON.stringify(message));
  }

  private warn(what: string, error: unknown): void {
    this.logger.warn(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
