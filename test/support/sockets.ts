/**
 * A demo user of a running Parley over its real edges, for the jest specs: REST sign-in, a
 * socket.io connection and acknowledged requests. (The benchmarks, ESM, keep theirs in
 * bench/support/parley.ts: socket.io-client's ESM and CommonJS `Socket` types do not mix.)
 */
import { io, type Socket } from 'socket.io-client';

export interface Reply<T> {
  ok: boolean;
  data?: T;
  error?: { code: string; message: string };
}

/** Signs a demo user in (password `parley`) at `base`. */
export async function loginOverRest(
  base: string,
  username: string,
): Promise<{ token: string; user: { id: string } }> {
  const response = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'parley' }),
  });
  if (!response.ok) throw new Error(`login ${username}: HTTP ${response.status}`);
  return (await response.json()) as { token: string; user: { id: string } };
}

/** A socket.io connection to `base` authenticated with `token` (no reconnection), once connected. */
export function connectSocket(base: string, token: string): Promise<Socket> {
  return new Promise<Socket>((done, fail) => {
    const socket = io(base, {
      path: '/socket.io',
      transports: ['websocket'],
      reconnection: false,
      auth: { token },
    });
    socket.once('connect', () => done(socket));
    socket.once('connect_error', fail);
  });
}

/** Emits a request and returns its data, or throws with the server's error. */
export async function socketRequest<T>(
  socket: Socket,
  event: string,
  payload: unknown,
  timeoutMs = 10_000,
): Promise<T> {
  const reply = (await socket.timeout(timeoutMs).emitWithAck(event, payload)) as Reply<T>;
  if (!reply.ok) throw new Error(`${event} failed: ${JSON.stringify(reply.error)}`);
  return reply.data as T;
}
