import { Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { SubscribeMessage } from '@nestjs/websockets';
import type { SocketReply } from '@parley/protocol';
import { Type } from 'class-transformer';
import { IsString, ValidateNested } from 'class-validator';
import type { AddressInfo } from 'node:net';
import type { Server, ServerOptions } from 'socket.io';
import { io, type Socket as ClientSocket } from 'socket.io-client';
import { Actor, type SocketActor } from './actor.decorator';
import { ParleyGateway } from './gateway';
import { SocketError } from './socket-error';
import { Payload } from './socket-validation.pipe';

class TargetDto {
  @IsString()
  userId!: string;
}

class GreetDto {
  @IsString()
  name!: string;

  @ValidateNested()
  @Type(() => TargetDto)
  target!: TargetDto;
}

@ParleyGateway()
class EdgeGateway {
  @SubscribeMessage('edge.greet')
  greet(@Actor() actor: SocketActor, @Payload() dto: GreetDto): { from: string; to: string; isDto: boolean } {
    return { from: actor.userId, to: dto.target.userId, isDto: dto instanceof GreetDto };
  }

  @SubscribeMessage('edge.refuse')
  refuse(): never {
    throw new SocketError('conflict', 'Already in a call');
  }

  @SubscribeMessage('edge.crash')
  async crash(): Promise<never> {
    throw new Error('secret detail');
  }

  @SubscribeMessage('edge.nothing')
  nothing(@Actor() _actor: SocketActor): void {
    return;
  }
}

@Module({ providers: [EdgeGateway] })
class EdgeModule {}

/** Lets a handshake in as `auth.userId` (or anonymous): stands for the app's session check. */
class TestAdapter extends IoAdapter {
  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, options) as Server;
    server.use((socket, next) => {
      const userId = (socket.handshake.auth as { userId?: string }).userId;
      if (userId) (socket.data as { userId?: string }).userId = userId;
      next();
    });
    return server;
  }
}

describe('socket edge (ParleyGateway, @Actor, @Payload, SocketReplyInterceptor)', () => {
  let app: Awaited<ReturnType<typeof NestFactory.create>>;
  let url: string;
  const clients: ClientSocket[] = [];
  const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);

  beforeAll(async () => {
    app = await NestFactory.create(EdgeModule, { logger: false });
    app.useWebSocketAdapter(new TestAdapter(app));
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await app.close();
  });

  async function connect(userId?: string): Promise<ClientSocket> {
    const client = io(url, { path: '/socket.io', transports: ['websocket'], auth: userId ? { userId } : {} });
    clients.push(client);
    await new Promise<void>((resolve, reject) => {
      client.once('connect', resolve);
      client.once('connect_error', reject);
    });
    return client;
  }

  const request = (client: ClientSocket, event: string, payload?: unknown): Promise<SocketReply<unknown>> =>
    payload === undefined ? client.emitWithAck(event) : client.emitWithAck(event, payload);

  it('answers a handler return value as ok:true with the validated DTO and the actor', async () => {
    const alice = await connect('alice');
    await expect(request(alice, 'edge.greet', { name: 'hi', target: { userId: 'bob' } })).resolves.toEqual({
      ok: true,
      data: { from: 'alice', to: 'bob', isDto: true },
    });
  });

  it('refuses a bad payload bad_request naming each field, nested ones with their path', async () => {
    const alice = await connect('alice');
    const reply = await request(alice, 'edge.greet', { name: 3, target: { userId: 4 }, extra: true });
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe('bad_request');
    expect(reply.error.message).toContain('property extra should not exist');
    expect(reply.error.message).toContain('name must be a string');
    expect(reply.error.message).toContain('target.userId must be a string');
    await expect(request(alice, 'edge.greet', 'text')).resolves.toEqual({
      ok: false,
      error: { code: 'bad_request', message: 'payload must be an object' },
    });
  });

  it('refuses prototype keys at any depth, and quotes only a short prefix of unknown fields, a few of them', async () => {
    const alice = await connect('alice');
    errors.mockClear();
    // As JSON carries them: own keys named constructor / __proto__ (class-transformer threw on these).
    const nested = JSON.parse('{"name":"hi","target":{"userId":"bob","constructor":{"a":1}}}') as unknown;
    await expect(request(alice, 'edge.greet', nested)).resolves.toEqual({
      ok: false,
      error: { code: 'bad_request', message: 'property target.constructor should not exist' },
    });
    const proto = JSON.parse('{"name":"hi","target":{"userId":"bob"},"__proto__":{"x":1}}') as unknown;
    await expect(request(alice, 'edge.greet', proto)).resolves.toEqual({
      ok: false,
      error: { code: 'bad_request', message: 'property __proto__ should not exist' },
    });
    const wide = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`${i}${'k'.repeat(100)}`, i]));
    const reply = await request(alice, 'edge.greet', { name: 'hi', target: { userId: 'bob', ...wide } });
    const key = (i: number) => `target.${i}${'k'.repeat(39)}…`;
    expect(reply).toEqual({
      ok: false,
      error: {
        code: 'bad_request',
        message:
          [0, 1, 2, 3, 4].map((i) => `property ${key(i)} should not exist`).join('; ') + '; and 3 more',
      },
    });
    expect(errors).not.toHaveBeenCalled();
  });

  it('passes a SocketError code and message through, and hides an internal error', async () => {
    const alice = await connect('alice');
    await expect(request(alice, 'edge.refuse')).resolves.toEqual({
      ok: false,
      error: { code: 'conflict', message: 'Already in a call' },
    });
    errors.mockClear();
    await expect(request(alice, 'edge.crash')).resolves.toEqual({
      ok: false,
      error: { code: 'internal', message: 'Internal error' },
    });
    expect(errors).toHaveBeenCalledWith(expect.stringContaining('edge.crash failed: Error: secret detail'));
    expect(alice.connected).toBe(true);
  });

  it('refuses a socket without a user unauthorized, and acknowledges a void handler with {}', async () => {
    const anonymous = await connect();
    await expect(request(anonymous, 'edge.nothing')).resolves.toEqual({
      ok: false,
      error: { code: 'unauthorized', message: 'Sign in first' },
    });
    await expect(request(await connect('alice'), 'edge.nothing')).resolves.toEqual({ ok: true, data: {} });
  });
});
