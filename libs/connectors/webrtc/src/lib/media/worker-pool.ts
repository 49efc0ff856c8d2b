/**
 * The mediasoup workers of this server: one slot per worker (restarted if it dies), a WebRtcServer
 * per worker on the configured media port, and routers placed on the least loaded worker.
 */
import { Logger } from '@nestjs/common';
import { errorMessage } from '@parley/protocol';
import { createWorker, types } from 'mediasoup';
import { networkInterfaces } from 'node:os';
import type { WebrtcSettings } from '../settings';
import { MEDIA_CODECS, type WorkerSlot } from './media-types';

const ROUTER_OPTIONS: types.RouterOptions = { mediaCodecs: MEDIA_CODECS };

export interface WorkerPoolOptions {
  /** Number of workers (at least one). */
  workers: number;
  logLevel: types.WorkerLogLevel;
  /** This server's media port, overriding the `rtcPort` setting (0 = free ports). */
  rtcPort?: number;
  /** This server's announced address, overriding the `announcedAddress` setting (several nodes). */
  announcedAddress?: string;
  /**
   * A worker died: its routers are gone. `restarted` settles once the slot has a new worker (or
   * failed to get one), so the rooms it hosted can be rebuilt.
   */
  onWorkerDied(slot: WorkerSlot, restarted: Promise<void>): void;
}

/** The address browsers are told to reach when no ICE host override is set. */
export function detectAnnouncedAddress(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  return '127.0.0.1';
}

/** One worker slot as a probe found it (health, metrics). */
export interface WorkerProbe {
  /** The slot: stays the same when its worker is restarted. */
  index: number;
  /** Null while the slot has no running worker (died and restarting, or failed to start). */
  pid: number | null;
  /** What the worker answered (`getResourceUsage()`), or null when it has none or did not answer. */
  usage: types.WorkerResourceUsage | null;
  /** Why `usage` is null. */
  problem?: string;
}

/** A slot's problem while it has no running worker (it died and is being restarted). */
const NOT_RUNNING = 'not running (restarting)';

export class WorkerPool {
  private readonly logger = new Logger(WorkerPool.name);
  private readonly slots: WorkerSlot[] = [];
  private closing = false;
  private ready: Promise<void> = Promise.resolve();

  constructor(private readonly options: WorkerPoolOptions) {}

  /** Starts every worker; resolves when each has started or failed to (logged). */
  start(): Promise<void> {
    for (let index = 0; index < Math.max(1, this.options.workers); index++) {
      this.slots.push({ index, worker: null, webRtcServer: null, serverKey: null, routers: 0 });
    }
    this.ready = Promise.all(this.slots.map((slot) => this.startWorker(slot))).then(() => undefined);
    return this.ready;
  }

  close(): void {
    this.closing = true;
    for (const slot of this.slots) slot.worker?.close();
  }

  get workerCount(): number {
    return this.slots.filter((slot) => slot.worker && !slot.worker.closed).length;
  }

  /** Pids of the live workers (tests, health). */
  pids(): number[] {
    return this.slots.flatMap((slot) => (slot.worker && !slot.worker.closed ? [slot.worker.pid] : []));
  }

  /**
   * Asks every slot's worker for its resource usage, each within `timeoutMs`: one answer per slot,
   * so a worker that is dead, restarting or not answering shows up by its index.
   */
  probe(timeoutMs = 1000): Promise<WorkerProbe[]> {
    return Promise.all(
      this.slots.map(async (slot): Promise<WorkerProbe> => {
        const worker = slot.worker;
        if (!worker || worker.closed) {
          return { index: slot.index, pid: null, usage: null, problem: NOT_RUNNING };
        }
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        });
        try {
          const usage = await Promise.race([worker.getResourceUsage(), timeout]);
          return { index: slot.index, pid: worker.pid, usage };
        } catch (error) {
          // A worker that died while it was asked (its channel closed) is one that is not running.
          if (worker.closed) return { index: slot.index, pid: null, usage: null, problem: NOT_RUNNING };
          return { index: slot.index, pid: worker.pid, usage: null, problem: errorMessage(error) };
        } finally {
          clearTimeout(timer);
        }
      }),
    );
  }

  /** A router on the least loaded live worker, whose WebRtcServer listens as `settings` say. */
  async createRouter(settings: WebrtcSettings): Promise<{ slot: WorkerSlot; router: types.Router }> {
    await this.ready;
    const slot = this.slots
      .filter((s) => s.worker && !s.worker.closed)
      .sort((a, b) => a.routers - b.routers)[0];
    if (!slot) throw new Error('no mediasoup worker is running');
    await this.webRtcServerOf(slot, settings);
    const router = await (slot.worker as types.Worker).createRouter(ROUTER_OPTIONS);
    slot.routers++;
    router.observer.once('close', () => {
      if (slot.routers > 0) slot.routers--;
    });
    return { slot, router };
  }

  private async startWorker(slot: WorkerSlot): Promise<void> {
    try {
      const worker = await createWorker({ logLevel: this.options.logLevel });
      slot.worker = worker;
      slot.webRtcServer = null;
      slot.serverKey = null;
      slot.routers = 0;
      worker.on('died', (error) => {
        this.logger.error(`mediasoup worker ${worker.pid} died (${errorMessage(error)}); restarting it`);
        slot.worker = null;
        slot.webRtcServer = null;
        slot.routers = 0;
        if (this.closing) return;
        this.options.onWorkerDied(slot, this.startWorker(slot));
      });
      this.logger.log(`mediasoup worker ${slot.index} started (pid ${worker.pid})`);
    } catch (error) {
      this.logger.error(`mediasoup worker ${slot.index} could not start: ${errorMessage(error)}`);
    }
  }

  private async webRtcServerOf(slot: WorkerSlot, settings: WebrtcSettings): Promise<types.WebRtcServer> {
    const worker = slot.worker as types.Worker;
    const announced =
      this.options.announcedAddress ||
      settings.announcedAddress ||
      (settings.listenIp === '0.0.0.0' ? detectAnnouncedAddress() : '');
    const base = this.options.rtcPort ?? settings.rtcPort;
    const port = base > 0 ? base + slot.index : undefined;
    const key = JSON.stringify([settings.listenIp, announced, port]);
    if (slot.webRtcServer && !slot.webRtcServer.closed) {
      // New settings apply once the worker hosts no call (never under a live call).
      if (slot.serverKey === key || slot.routers > 0) return slot.webRtcServer;
      slot.webRtcServer.close();
    }
    const listen = (protocol: 'udp' | 'tcp'): types.TransportListenInfo => ({
      protocol,
      ip: settings.listenIp,
      ...(announced ? { announcedAddress: announced } : {}),
      ...(port ? { port } : {}),
    });
    slot.webRtcServer = await worker.createWebRtcServer({ listenInfos: [listen('udp'), listen('tcp')] });
    slot.serverKey = key;
    return slot.webRtcServer;
  }
}
