import { randomUUID } from 'node:crypto';

/** An error answered by Janus (`{ janus: 'error', error: { code, reason } }`) or the transport. */
export class JanusAdminError extends Error {
  constructor(
    message: string,
    readonly code: number | null = null,
  ) {
    super(message);
    this.name = 'JanusAdminError';
  }
}

export type JanusMessage = Record<string, unknown> & { janus: string };

const DEFAULT_TIMEOUT_MS = 4_000;

/**
 * The Janus admin API, from the Parley server: one request per call, over the admin WebSocket
 * (`ws://`/`wss://`, subprotocol `janus-admin-protocol`, the websockets transport's `admin_ws`) or
 * admin HTTP (`http://`/`https://`, POST to the admin base path). `admin_secret` is added to every
 * request; `info` and `ping` need none.
 */
export class JanusAdminClient {
  constructor(
    private readonly url: string,
    private readonly secret: string,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {}

  /** Sends `body` (with a transaction and the secret); resolves with the answer, rejects on `error`. */
  async request(body: JanusMessage): Promise<JanusMessage> {
    const message = { ...body, transaction: randomUUID(), admin_secret: this.secret };
    const answer = /^wss?:/i.test(this.url)
      ? await this.overWebSocket(message)
      : await this.overHttp(message);
    if (answer.janus === 'error') {
      const error = answer['error'] as { code?: number; reason?: string } | undefined;
      throw new JanusAdminError(error?.reason ?? 'Janus answered an error', error?.code ?? null);
    }
    return answer;
  }

  /** A VideoRoom request through the admin API (`message_plugin`): no session, no token needed. */
  async videoroom(request: Record<string, unknown>): Promise<Record<string, unknown>> {
    const answer = await this.request({ janus: 'message_plugin', plugin: 'janus.plugin.videoroom', request });
    const response = (answer['response'] ?? {}) as Record<string, unknown>;
    if (response['videoroom'] === 'event' && response['error']) {
      throw new JanusAdminError(
        `VideoRoom: ${String(response['error'])}`,
        Number(response['error_code']) || null,
      );
    }
    return response;
  }

  private overWebSocket(message: JanusMessage & { transaction: string }): Promise<JanusMessage> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const ws = new WebSocket(this.url, 'janus-admin-protocol');
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
        ws.close();
      };
      const timer = setTimeout(
        () =>
          finish(() => reject(new JanusAdminError(`no answer from ${this.url} within ${this.timeoutMs} ms`))),
        this.timeoutMs,
      );
      ws.onopen = () => ws.send(JSON.stringify(message));
      ws.onmessage = (event) => {
        let data: JanusMessage;
        try {
          data = JSON.parse(String(event.data)) as JanusMessage;
        } catch {
          return;
        }
        if (data['transaction'] === message.transaction) finish(() => resolve(data));
      };
      ws.onerror = () =>
        finish(() => reject(new JanusAdminError(`cannot reach the Janus admin API at ${this.url}`)));
      ws.onclose = () =>
        finish(() => reject(new JanusAdminError(`the Janus admin API at ${this.url} closed the connection`)));
    });
  }

  private async overHttp(message: JanusMessage): Promise<JanusMessage> {
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new JanusAdminError(
        `cannot reach the Janus admin API at ${this.url} (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    if (!res.ok) throw new JanusAdminError(`the Janus admin API answered HTTP ${res.status}`, res.status);
    return (await res.json()) as JanusMessage;
  }
}
