/**
 * A small typed client of the Janus WebSocket API (subprotocol `janus-protocol`): session
 * (`create`, `keepalive`, `destroy`), plugin handles (`attach`, `message`, `trickle`, `detach`) and
 * the events Janus pushes per handle. Only what the VideoRoom needs; no dependency.
 */

export interface Jsep {
  type: RTCSdpType;
  sdp: string;
}

/** What Janus sends (a superset of the fields we read). */
export interface JanusEvent {
  janus: string;
  transaction?: string;
  session_id?: number;
  sender?: number;
  data?: { id?: number };
  error?: { code: number; reason: string };
  plugindata?: { plugin: string; data: Record<string, unknown> };
  jsep?: Jsep;
  candidate?: RTCIceCandidateInit & { completed?: boolean };
  reason?: string;
}

export class JanusError extends Error {
  constructor(
    message: string,
    readonly code: number | null = null,
  ) {
    super(message);
    this.name = 'JanusError';
  }
}

type Pending = { resolve(event: JanusEvent): void; reject(error: Error): void; ackOnly: boolean };

const KEEPALIVE_MS = 25_000;
const REQUEST_TIMEOUT_MS = 15_000;

export class JanusSession {
  private ws: WebSocket | null = null;
  private sessionId: number | null = null;
  private readonly pending = new Map<string, Pending>();
  private readonly handlers = new Map<number, (event: JanusEvent) => void>();
  private keepalive: ReturnType<typeof setInterval> | null = null;
  private seq = 0;
  private closing = false;

  /** `onLost` runs once if the gateway goes away (socket closed, session timed out) before `close()`. */
  constructor(
    private readonly url: string,
    private readonly token: string | null,
    private readonly onLost: (reason: string) => void,
  ) {}

  async connect(): Promise<void> {
    const ws = new WebSocket(this.url, 'janus-protocol');
    this.ws = ws;
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new JanusError(`cannot reach the Janus gateway at ${this.url}`));
    });
    ws.onmessage = (message) => this.onMessage(String(message.data));
    ws.onerror = null;
    ws.onclose = () => this.lost('the connection to the Janus gateway was lost');
    const created = await this.send({ janus: 'create' });
    this.sessionId = created.data?.id ?? null;
    if (this.sessionId === null) throw new JanusError('Janus created no session');
    this.keepalive = setInterval(() => {
      this.send({ janus: 'keepalive' }, true).catch(() => undefined);
    }, KEEPALIVE_MS);
  }

  /** Attaches to a plugin; events of the new handle go to `onEvent`. */
  async attach(plugin: string, onEvent: (event: JanusEvent) => void): Promise<number> {
    const answer = await this.send({ janus: 'attach', plugin });
    const id = answer.data?.id;
    if (id === undefined) throw new JanusError(`Janus gave no handle for ${plugin}`);
    this.handlers.set(id, onEvent);
    return id;
  }

  /** A plugin message; resolves with the plugin's answer (synchronous `success` or the async `event`). */
  async message(handle: number, body: Record<string, unknown>, jsep?: Jsep): Promise<JanusEvent> {
    const answer = await this.send({ janus: 'message', handle_id: handle, body, ...(jsep ? { jsep } : {}) });
    const data = answer.plugindata?.data;
    if (data && typeof data['error'] === 'string') {
      throw new JanusError(data['error'], typeof data['error_code'] === 'number' ? data['error_code'] : null);
    }
    return answer;
  }

  /** Trickles a local candidate (null: gathering completed). */
  trickle(handle: number, candidate: RTCIceCandidate | null): void {
    const body = candidate ? candidate.toJSON() : { completed: true };
    this.send({ janus: 'trickle', handle_id: handle, candidate: body }, true).catch(() => undefined);
  }

  /** Destroys the session and closes the socket (no `onLost`). */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (this.keepalive) clearInterval(this.keepalive);
    const ws = this.ws;
    if (ws && ws.readyState === WebSocket.OPEN && this.sessionId !== null) {
      await Promise.race([
        this.send({ janus: 'destroy' }).catch(() => undefined),
        new Promise((r) => setTimeout(r, 1_000)),
      ]);
    }
    ws?.close();
    this.rejectAll(new JanusError('the Janus session was closed'));
  }

  private send(body: Record<string, unknown>, ackOnly = false): Promise<JanusEvent> {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) {
      return Promise.reject(new JanusError('not connected to the Janus gateway'));
    }
    const transaction = `t${++this.seq}`;
    const message = {
      ...body,
      transaction,
      ...(this.sessionId !== null && body['janus'] !== 'create' ? { session_id: this.sessionId } : {}),
      ...(this.token ? { token: this.token } : {}),
    };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(transaction);
        reject(new JanusError(`Janus did not answer ${String(body['janus'])} in time`));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(transaction, {
        ackOnly,
        resolve: (event) => {
          clearTimeout(timer);
          resolve(event);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      ws.send(JSON.stringify(message));
    });
  }

  private onMessage(text: string): void {
    let event: JanusEvent;
    try {
      event = JSON.parse(text) as JanusEvent;
    } catch {
      return;
    }
    const waiting = event.transaction ? this.pending.get(event.transaction) : undefined;
    if (waiting && event.transaction) {
      if (event.janus === 'ack' && !waiting.ackOnly) return; // the plugin's event follows
      this.pending.delete(event.transaction);
      if (event.janus === 'error') {
        waiting.reject(new JanusError(event.error?.reason ?? 'Janus error', event.error?.code ?? null));
      } else {
        waiting.resolve(event);
      }
      return; // the requester handles the answer (jsep included)
    }
    if (event.janus === 'timeout') {
      this.lost('the Janus session timed out');
      return;
    }
    if (event.sender !== undefined) this.handlers.get(event.sender)?.(event);
  }

  private lost(reason: string): void {
    if (this.closing) return;
    this.closing = true;
    if (this.keepalive) clearInterval(this.keepalive);
    this.rejectAll(new JanusError(reason));
    this.ws?.close();
    this.onLost(reason);
  }

  private rejectAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
