import {
  ConflictException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type { CallInfo, CallRecordingNoticeEvent, MessageAttachment } from '@parley/protocol';
import { API, errorMessage, formatDuration, formatFileSize } from '@parley/protocol';
import { RoomService } from '@parley/server-directory';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { SocketError } from '@parley/connector-sdk';
import { CALLS_OPTIONS, type CallsModuleOptions, DEFAULT_RECORDING_REMINDER_SECONDS } from '../calls.options';
import type { RecordingEntity, RecordingStopReason } from '../entities/recording.entity';
import { RecordingRepository } from '../repositories';
import { CallEvents } from './call-events.service';
import {
  CallMediaControls,
  type MediaRecording,
  type MediaRecordingResult,
  MediaRecordingUnavailableError,
} from './call-media-controls.service';
import { type CallActor, CallLifecycle } from './call-lifecycle.service';

export const ONLY_HOST_CAN_RECORD = 'Only the host can record';

export const RECORDING_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface ActiveRecording {
  id: string;
  callId: string;
  roomId: string;
  threadId: string | null;
  /** Offered on download. */
  fileName: string;
  startedBy: string;
  startedAt: Date;
  limitMs: number;
  media: MediaRecording;
  timers: NodeJS.Timeout[];
  /** Set once it stops (idempotent stop). */
  finished?: Promise<void>;
}

/** `10 minutes`, `1 minute`, `45 seconds`. */
export function formatSpan(seconds: number): string {
  if (seconds >= 60 && seconds % 60 === 0) {
    const m = seconds / 60;
    return `${m} minute${m === 1 ? '' : 's'}`;
  }
  return `${seconds} second${seconds === 1 ? '' : 's'}`;
}

/**
 * Call recording (docs/calls.md "Recording"): the host of a group call starts/stops it; the
 * provider's media layer ({@link CallMediaControls}, `record`) writes the file under RECORDINGS_DIR.
 * One recording at a time per call. The host is reminded before the limit and it stops by itself
 * at the limit, on a failure (ffmpeg died, disk full) and when the call ends; what was recorded is
 * posted in the call's room thread, as the host who started it. The call's `recording` state rides
 * on the usual `call.updated` / `call.room.updated` pushes; `call.recording.notice` says what
 * happened. Join/produce/consume never touch this service.
 */
@Injectable()
export class RecordingService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RecordingService.name);
  /** callId -> the recording in progress. */
  private readonly active = new Map<string, ActiveRecording>();
  /** callIds whose start is under way (one recording at a time). */
  private readonly starting = new Set<string>();
  /** callId -> a stop under way (a new start waits for it). */
  private readonly stopping = new Map<string, Promise<void>>();
  private unsubscribe?: () => void;
  readonly dir: string;
  readonly maxMsOverride: number | null;
  readonly reminderMs: number;

  constructor(
    private readonly calls: CallLifecycle,
    private readonly mediaControls: CallMediaControls,
    private readonly events: CallEvents,
    private readonly rooms: RoomService,
    private readonly repo: RecordingRepository,
    @Inject(CALLS_OPTIONS) options: CallsModuleOptions,
  ) {
    this.dir = resolve(options.recordingsDir ?? join('data', 'recordings'));
    this.maxMsOverride = options.recordingMaxSeconds ? options.recordingMaxSeconds * 1000 : null;
    this.reminderMs = (options.recordingReminderSeconds ?? DEFAULT_RECORDING_REMINDER_SECONDS) * 1000;
  }

  async onModuleInit(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    this.unsubscribe = this.calls.onCallEnded((call) => this.onCallEnded(call));
    // Recordings left open by a crash: their files are whatever ffmpeg flushed.
    try {
      await this.repo.closeInterrupted(new Date().toISOString());
    } catch (error) {
      this.logger.warn(`Closing interrupted recordings failed: ${errorMessage(error)}`);
    }
  }

  /**
   * Shutting down (the first hook, before the media server and the database close): every
   * recording is stopped and its file kept, not posted (the app is going away).
   */
  async onModuleDestroy(): Promise<void> {
    this.unsubscribe?.();
    await Promise.all([...this.active.values()].map((rec) => this.finish(rec, 'shutdown')));
  }

  /**
   * The file of a finished recording for a signed-in user: members of its room only (403 from the
   * room check), 404 for an unknown id or a path outside RECORDINGS_DIR, 409 while it records.
   */
  async fileFor(userId: string, id: string): Promise<{ path: string; fileName: string }> {
    const row = RECORDING_ID.test(id) ? await this.repo.findById(id) : null;
    if (!row) throw new NotFoundException(`Recording ${id} not found`);
    await this.rooms.getFor(row.roomId, userId); // 404 unknown room, 403 not a member
    if (!row.stoppedAt) throw new ConflictException('The recording is still going on');
    const path = this.pathOf(row);
    if (!path) throw new NotFoundException(`Recording ${id} not found`);
    return { path, fileName: row.fileName };
  }

  /** The absolute path of a recording's file, or null when its row points outside RECORDINGS_DIR. */
  pathOf(row: Pick<RecordingEntity, 'relativePath'>): string | null {
    const path = resolve(this.dir, row.relativePath);
    const inside = relative(this.dir, path);
    return !inside || inside.startsWith('..') || isAbsolute(inside) ? null : path;
  }

  /** How many recordings are going on now on this node (metrics). */
  get activeCount(): number {
    return this.active.size;
  }

  /** Whether the call is being recorded. */
  isRecording(callId: string): boolean {
    return this.active.has(callId);
  }

  /** Host only: starts recording the group call. */
  async start(actor: CallActor, callId: string): Promise<CallInfo> {
    const call = this.requireHost(actor, callId);
    if (this.active.has(callId) || this.starting.has(callId)) {
      throw new SocketError('conflict', 'The call is already being recorded');
    }
    const control = this.mediaControls.get(call.providerType);
    if (!control?.record) {
      throw new SocketError('unavailable', `Recording is not available with ${call.providerType} calls`);
    }
    this.starting.add(callId);
    try {
      await this.stopping.get(callId);
      const id = randomUUID();
      const relativePath = `${id}.webm`;
      // A failure may come before the recording is set up: kept, then handled below.
      const pending: { rec?: ActiveRecording; failure?: string } = {};
      let media: MediaRecording;
      try {
        media = await control.record({
          callId,
          filePath: join(this.dir, relativePath),
          onFailure: (message) => {
            if (pending.rec) void this.finish(pending.rec, 'failed', message);
            else pending.failure = message;
          },
        });
      } catch (error) {
        if (error instanceof MediaRecordingUnavailableError)
          throw new SocketError('unavailable', error.message);
        throw new SocketError('internal', `Recording could not start: ${errorMessage(error)}`);
      }
      const startedAt = new Date();
      const limitMs = this.maxMsOverride ?? media.maxDurationMs;
      const roomId = call.target.kind === 'user' ? call.ownerId : call.target.roomId;
      const rec: ActiveRecording = (pending.rec = {
        id,
        callId,
        roomId,
        threadId: call.threadId ?? null,
        fileName: this.downloadName(call, startedAt),
        startedBy: actor.userId,
        startedAt,
        limitMs,
        media,
        timers: [],
      });
      try {
        await this.repo.create({
          id,
          callId,
          roomId,
          fileName: rec.fileName,
          relativePath,
          mimeType: media.mimeType,
          sizeBytes: 0,
          durationMs: 0,
          startedBy: actor.userId,
          startedAt: startedAt.toISOString(),
          stoppedAt: null,
          stopReason: null,
          messageId: null,
        });
      } catch (error) {
        await media.stop().catch(() => undefined);
        throw new SocketError('internal', `Recording could not start: ${errorMessage(error)}`);
      }
      if (!this.calls.isJoined(callId, actor.userId)) {
        // The call ended (or the host left) while the recorder started: keep nothing running.
        await this.finish(rec, 'call-ended');
        throw new SocketError('conflict', 'The call has ended');
      }
      if (pending.failure !== undefined || rec.finished) {
        await this.finish(rec, 'failed', pending.failure);
        throw new SocketError('internal', `Recording stopped: ${pending.failure ?? 'the recorder failed'}`);
      }
      this.active.set(callId, rec);
      this.schedule(rec);
      this.calls.setRecording(callId, {
        startedAt: startedAt.toISOString(),
        startedBy: actor.userId,
        endsAt: new Date(startedAt.getTime() + limitMs).toISOString(),
      });
      const name = this.calls.memberName(callId, actor.userId) ?? 'The host';
      this.notice(rec, 'all', 'started', `${name} started recording the call`);
      this.logger.log(`Recording ${id} of call ${callId} started (limit ${Math.round(limitMs / 1000)} s)`);
      return this.calls.get(callId, actor.userId);
    } finally {
      this.starting.delete(callId);
    }
  }

  /**
   * Host only: stops the recording. It answers as soon as the call no longer records (state and
   * notices); finishing the file and posting it in the call's thread go on behind (seconds on a
   * loaded machine: ffmpeg first reads what is queued), see {@link settled}.
   */
  async stop(actor: CallActor, callId: string): Promise<CallInfo> {
    this.requireHost(actor, callId, 'stop the recording');
    const rec = this.active.get(callId);
    if (!rec) throw new SocketError('conflict', 'The call is not being recorded');
    void this.finish(rec, 'stopped');
    return this.calls.get(callId, actor.userId);
  }

  /** Resolves once the call's last stopped recording is finished and posted (at once if none). */
  async settled(callId: string): Promise<void> {
    await this.stopping.get(callId);
  }

  private requireHost(actor: CallActor, callId: string, action = 'record'): CallInfo {
    const call = this.calls.get(callId, actor.userId);
    if (call.kind !== 'group') throw new SocketError('bad_request', 'Only group calls can be recorded');
    if (call.state !== 'active') throw new SocketError('conflict', 'The call has ended');
    if (call.hostId !== actor.userId) {
      throw new SocketError(
        'forbidden',
        action === 'record' ? ONLY_HOST_CAN_RECORD : `Only the host can ${action}`,
      );
    }
    if (!this.calls.isJoined(callId, actor.userId)) throw new SocketError('conflict', 'Join the call first');
    return call;
  }

  private schedule(rec: ActiveRecording): void {
    const reminderAt = rec.limitMs - this.reminderMs;
    if (this.reminderMs > 0 && reminderAt > 0) {
      const left = formatSpan(Math.round(this.reminderMs / 1000));
      rec.timers.push(
        setTimeout(
          () =>
            this.notice(
              rec,
              'host',
              'reminder',
              `Recording stops in ${left}, at the limit of ${formatSpan(Math.round(rec.limitMs / 1000))}. You can start a new one then.`,
            ),
          reminderAt,
        ),
      );
    }
    rec.timers.push(setTimeout(() => void this.finish(rec, 'limit'), rec.limitMs));
    for (const timer of rec.timers) timer.unref?.();
  }

  private clearTimers(rec: ActiveRecording): void {
    for (const timer of rec.timers) clearTimeout(timer);
    rec.timers = [];
  }

  private onCallEnded(call: CallInfo): void {
    const rec = this.active.get(call.id);
    if (rec) void this.finish(rec, 'call-ended');
  }

  /**
   * Stops a recording (idempotent): the call's state and the notices at once, then the file is
   * finished, its row updated and the file posted in the call's thread.
   */
  private finish(rec: ActiveRecording, reason: RecordingStopReason, failure?: string): Promise<void> {
    if (rec.finished) return rec.finished;
    this.clearTimers(rec);
    if (this.active.get(rec.callId) === rec) this.active.delete(rec.callId);
    this.calls.setRecording(rec.callId, null);
    const limit = formatSpan(Math.round(rec.limitMs / 1000));
    if (reason === 'stopped')
      this.notice(rec, 'all', 'stopped', 'Recording stopped: it is posted in the call thread');
    if (reason === 'limit') {
      this.notice(
        rec,
        'all',
        'limit',
        `Recording stopped at the limit of ${limit}: it is posted in the call thread. The host can start a new one.`,
      );
    }
    if (reason === 'failed') {
      this.notice(
        rec,
        'host',
        'failed',
        `Recording stopped: ${failure ?? 'the recorder failed'}. What was recorded is kept and posted in the call thread.`,
      );
    }
    rec.finished = (async () => {
      const result = await this.stopMedia(rec);
      await this.saveStop(rec, result, reason);
      if (result.sizeBytes > 0 && reason !== 'shutdown') await this.post(rec, result);
      this.logger.log(
        `Recording ${rec.id} of call ${rec.callId} stopped (${reason}): ${result.durationMs} ms, ${result.sizeBytes} bytes`,
      );
    })().catch((error: unknown) => this.logger.error(`Recording ${rec.id}: ${errorMessage(error)}`));
    const done = rec.finished.finally(() => {
      if (this.stopping.get(rec.callId) === done) this.stopping.delete(rec.callId);
    });
    this.stopping.set(rec.callId, done);
    return rec.finished;
  }

  private async stopMedia(rec: ActiveRecording): Promise<MediaRecordingResult> {
    try {
      return await rec.media.stop();
    } catch (error) {
      this.logger.error(`Recording ${rec.id}: stopping the recorder failed: ${errorMessage(error)}`);
      return {
        filePath: join(this.dir, `${rec.id}.webm`),
        sizeBytes: 0,
        durationMs: 0,
        mimeType: rec.media.mimeType,
      };
    }
  }

  private async saveStop(rec: ActiveRecording, result: MediaRecordingResult, reason: RecordingStopReason) {
    try {
      await this.repo.update(rec.id, {
        sizeBytes: result.sizeBytes,
        durationMs: Math.round(result.durationMs),
        mimeType: result.mimeType,
        stoppedAt: new Date().toISOString(),
        stopReason: reason,
      });
    } catch (error) {
      this.logger.error(`Recording ${rec.id}: saving its end failed: ${errorMessage(error)}`);
    }
  }

  /** Posts the file in the call's thread (the room's stream when the call has none), as the host who started it. */
  private async post(rec: ActiveRecording, result: MediaRecordingResult): Promise<void> {
    const attachment: MessageAttachment = {
      kind: 'recording',
      id: rec.id,
      name: rec.fileName,
      mimeType: result.mimeType,
      sizeBytes: result.sizeBytes,
      durationMs: Math.round(result.durationMs),
      url: API.recordingFile(rec.id),
    };
    const body = `Recording of the call (${formatDuration(result.durationMs)}, ${formatFileSize(result.sizeBytes)})`;
    const message = await this.rooms.post(rec.roomId, rec.startedBy, body, {
      ...(rec.threadId ? { threadId: rec.threadId } : {}),
      attachment,
    });
    // Kept so that deleting the recording can rewrite this post (RecordingDeletion).
    await this.repo.update(rec.id, { messageId: message.id });
  }

  /** `all`: every joined participant; `host`: the current host (the starter may have left). */
  private notice(
    rec: ActiveRecording,
    to: 'all' | 'host',
    kind: CallRecordingNoticeEvent['kind'],
    message: string,
  ): void {
    let call: CallInfo;
    try {
      call = this.calls.get(rec.callId, rec.startedBy);
    } catch {
      return;
    }
    const joined = call.participants.filter((p) => p.state === 'joined').map((p) => p.userId);
    const userIds = to === 'all' ? joined : [call.hostId ?? rec.startedBy];
    if (userIds.length === 0) return;
    this.events.push(userIds, 'call.recording.notice', { callId: rec.callId, kind, message });
  }

  /** `call-2026-11-22-1930.webm` (UTC), or `<title>-…` when the call has a title. */
  private downloadName(call: CallInfo, at: Date): string {
    const stamp = at.toISOString().slice(0, 16).replace('T', '-').replace(':', '');
    const title = (call.title ?? '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60);
    return `${title || 'call'}-${stamp}.webm`;
  }
}
