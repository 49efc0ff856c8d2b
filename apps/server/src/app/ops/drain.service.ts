import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { ServerDrainingEvent } from '@parley/protocol';
import { CallAdmission, CallHistory, CallLifecycle } from '@parley/server-calls';
import type { Server } from 'socket.io';
import { OPS_OPTIONS, type OpsOptions } from './ops.options';

/** The end reason of the calls still live when the grace is over. */
export const DRAIN_END_REASON = 'the server is shutting down';

/** Calls started while the last ones were being ended are ended too; this many rounds at most. */
const END_ROUNDS = 3;

/** What readiness shows during a drain. */
export interface DrainStatus {
  liveCalls: number;
  /** Seconds left before the live calls are ended (0 once they are). */
  remainingSeconds: number;
}

/**
 * The server's drain, run once on SIGTERM before the app closes (`./shutdown.ts`): new calls are
 * refused ({@link CallAdmission}), readiness answers 503, every tab of this node is told
 * (`server.draining`, also tabs that connect meanwhile), live calls go on until they end by
 * themselves or the grace (`SHUTDOWN_GRACE_SECONDS`) is over, then the rest are ended as a host's
 * "end for everyone" does, the call history is written, and this node's sockets are disconnected
 * (clients reconnect: to another node, or to this one once it is back). The database closes after
 * that, with the app.
 */
@Injectable()
export class DrainService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(DrainService.name);
  private readonly graceMs: number;
  private lifecycle!: CallLifecycle;
  private admission!: CallAdmission;
  private history!: CallHistory;
  private server: Server | null = null;
  private deadline: number | null = null;
  private run: Promise<void> | null = null;
  /** Ends the wait for the live calls (grace over, last call ended, or {@link endNow}). */
  private stopWaiting: (() => void) | null = null;
  /** Once set, the sockets are gone: handshakes are refused until the process exits. */
  private closed = false;

  constructor(
    @Inject(OPS_OPTIONS) options: OpsOptions,
    private readonly moduleRef: ModuleRef,
  ) {
    this.graceMs = options.shutdownGraceSeconds * 1000;
  }

  onModuleInit(): void {
    this.lifecycle = this.moduleRef.get(CallLifecycle, { strict: false });
    this.admission = this.moduleRef.get(CallAdmission, { strict: false });
    this.history = this.moduleRef.get(CallHistory, { strict: false });
  }

  onModuleDestroy(): void {
    this.stopWaiting?.();
  }

  get draining(): boolean {
    return this.run !== null;
  }

  status(): DrainStatus {
    const left = this.deadline === null ? 0 : Math.max(0, this.deadline - Date.now());
    return { liveCalls: this.lifecycle.liveCallCount(), remainingSeconds: Math.ceil(left / 1000) };
  }

  /** The socket server (from the app's socket adapter): told about the drain, closed after it. */
  attach(server: Server): void {
    this.server = server;
    server.use((_socket, next) =>
      next(this.closed ? new Error('This server is shutting down; connect again') : undefined),
    );
    server.on('connection', (socket) => {
      if (this.draining && !this.closed) socket.emit('server.draining', this.notice());
    });
  }

  /** Drains once (later calls get the same run); resolves when the app may close. */
  drain(): Promise<void> {
    this.run ??= this.drainOnce();
    return this.run;
  }

  /** Ends the grace now (a second SIGTERM): the live calls are ended at once. */
  endNow(): void {
    this.deadline = Date.now();
    this.stopWaiting?.();
  }

  private async drainOnce(): Promise<void> {
    // A signal before the app was initialised: no call can have started, nothing to drain.
    if (!this.lifecycle) return;
    const started = Date.now();
    this.deadline = started + this.graceMs;
    this.admission.close();
    const live = this.lifecycle.liveCallCount();
    this.logger.log(
      `Draining: new calls refused, ${live} live call(s) get up to ${this.graceMs / 1000} s to end`,
    );
    this.server?.local.emit('server.draining', this.notice());
    await this.callsEnded();
    let ended = 0;
    for (let round = 0; round < END_ROUNDS && this.lifecycle.liveCallCount() > 0; round++) {
      ended += this.lifecycle.endAll(DRAIN_END_REASON).length;
      await this.history.flush();
    }
    await this.history.flush();
    // One turn of the event loop: the reply to the request that ended the last call goes out first.
    await new Promise((turn) => setImmediate(turn));
    this.deadline = Date.now();
    this.closed = true;
    // A disconnect packet after everything sent so far (`io server disconnect` on the client; the
    // app's close ends the connections afterwards). Not `true`: that cuts the transport at once,
    // and pushes still on their way (`call.ended`) could be lost.
    this.server?.local.disconnectSockets(false);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    this.logger.log(`Drained in ${seconds} s: ${ended} call(s) ended by the server, sockets closed`);
  }

  /** Resolves once no call is live, the grace is over, or {@link endNow}. */
  private callsEnded(): Promise<void> {
    return new Promise<void>((done) => {
      if (this.graceMs === 0 || this.lifecycle.liveCallCount() === 0) return done();
      // Called only later (timer, listener, endNow), once both below exist.
      const finish = () => {
        clearTimeout(timer);
        unsubscribe();
        this.stopWaiting = null;
        done();
      };
      const timer = setTimeout(finish, Math.max(0, (this.deadline ?? 0) - Date.now()));
      const unsubscribe = this.lifecycle.onCallEnded(() => {
        if (this.lifecycle.liveCallCount() === 0) finish();
      });
      this.stopWaiting = finish;
    });
  }

  private notice(): ServerDrainingEvent {
    return { graceSeconds: this.status().remainingSeconds, reconnect: true };
  }
}
