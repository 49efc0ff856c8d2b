/**
 * RecordingService with the media control faked (no ffmpeg): host-only, one at a time, unavailable
 * engines, reminder and limit timers, failures, call end, host change, posting in the thread.
 */
import { Logger } from '@nestjs/common';
import type { RoomService } from '@parley/server-directory';
import type { CallInfo, CallRecordingInfo, CallRecordingNoticeEvent, ChatMessage } from '@parley/protocol';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SocketError } from '@parley/connector-sdk';
import { CallMachine } from '../call-machine';
import type { RecordingEntity } from '../entities/recording.entity';
import type { RecordingRepository } from '../repositories';
import { CallEvents, type CallPush } from './call-events.service';
import {
  CallMediaControls,
  type MediaRecording,
  type MediaRecordingOptions,
  MediaRecordingUnavailableError,
} from './call-media-controls.service';
import type { CallLifecycle } from './call-lifecycle.service';
import { formatSpan, ONLY_HOST_CAN_RECORD, RecordingService } from './recording.service';

const CALL = 'call-1';

class FakeCalls {
  machine = new CallMachine({
    id: CALL,
    providerType: 'webrtc',
    target: { kind: 'room', roomId: 'room-1' },
    callerId: 'alice',
    title: 'Weekly sync',
    maxParticipants: 10,
    now: new Date('2026-11-22T19:30:00Z'),
  });
  members = new Set(['alice', 'bob', 'carol']);
  listeners: ((call: CallInfo) => void)[] = [];
  recordings: (CallRecordingInfo | null)[] = [];

  constructor() {
    this.machine.join('bob', new Date());
    this.machine.info.threadId = 'thread-1';
  }
  get(callId: string, userId: string): CallInfo {
    if (callId !== CALL) throw new SocketError('not_found', 'no call');
    if (!this.members.has(userId)) throw new SocketError('forbidden', 'You are not a member of this room');
    return this.machine.snapshot();
  }
  isJoined(callId: string, userId: string): boolean {
    return callId === CALL && !this.machine.ended && this.machine.participant(userId)?.state === 'joined';
  }
  setRecording(callId: string, recording: CallRecordingInfo | null): void {
    this.machine.setRecording(recording);
    this.recordings.push(recording);
  }
  onCallEnded(listener: (call: CallInfo) => void): () => void {
    this.listeners.push(listener);
    return () => undefined;
  }
  memberName(_callId: string, userId: string): string {
    return { alice: 'Alice Martin', bob: 'Bob Nguyen' }[userId] ?? userId;
  }
  endCall(): void {
    this.machine.end('completed', 'ended by Alice', new Date());
    for (const l of this.listeners) l(this.machine.snapshot());
  }
}

class FakeRecorder implements MediaRecording {
  readonly mimeType = 'video/webm';
  stops = 0;
  constructor(
    readonly options: MediaRecordingOptions,
    readonly maxDurationMs: number,
  ) {}
  async stop() {
    this.stops++;
    return {
      filePath: this.options.filePath,
      sizeBytes: 12_345_678,
      durationMs: 65_000,
      mimeType: this.mimeType,
    };
  }
}

function setup(options: { maxSeconds?: number; reminderSeconds?: number; record?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'parley-recordings-'));
  const calls = new FakeCalls();
  const controls = new CallMediaControls();
  const recorders: FakeRecorder[] = [];
  let refuse: Error | null = null;
  controls.register('webrtc', {
    muteUser: () => undefined,
    stopScreenShare: () => undefined,
    stats: async () => ({}),
    ...(options.record === false
      ? {}
      : {
          record: async (opts: MediaRecordingOptions) => {
            if (refuse) throw refuse;
            const recorder = new FakeRecorder(opts, 3_600_000);
            recorders.push(recorder);
            return recorder;
          },
        }),
  });
  const events = new CallEvents();
  const pushes: CallPush[] = [];
  events.pushes$.subscribe((p) => pushes.push(p));
  const posts: { roomId: string; authorId: string; body: string; options: unknown }[] = [];
  const rooms = {
    post: async (roomId: string, authorId: string, body: string, opts: unknown) => {
      posts.push({ roomId, authorId, body, options: opts });
      return { id: 'm1', roomId, authorId, body, createdAt: '' } as ChatMessage;
    },
  };
  const rows = new Map<string, Partial<RecordingEntity>>();
  const repo = {
    create: async (row: RecordingEntity) => void rows.set(row.id, { ...row }),
    update: async (id: string, patch: Partial<RecordingEntity>) => {
      rows.set(id, { ...rows.get(id), ...patch });
    },
    findById: async (id: string) => rows.get(id) ?? null,
    closeInterrupted: async () => undefined,
  };
  const service = new RecordingService(
    calls as unknown as CallLifecycle,
    controls,
    events,
    rooms as unknown as RoomService,
    repo as unknown as RecordingRepository,
    {
      recordingsDir: dir,
      recordingMaxSeconds: options.maxSeconds ?? null,
      recordingReminderSeconds: options.reminderSeconds,
    },
  );
  const notices = () =>
    pushes
      .filter((p) => p.event === 'call.recording.notice')
      .map((p) => ({ to: p.userIds, ...(p.data as CallRecordingNoticeEvent) }));
  return {
    service,
    calls,
    recorders,
    posts,
    rows,
    notices,
    refuse: (error: Error) => (refuse = error),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe('RecordingService', () => {
  let env: ReturnType<typeof setup>;
  beforeAll(() => Logger.overrideLogger(false));
  afterEach(() => {
    env?.cleanup();
    jest.useRealTimers();
  });

  it('says spans in words', () => {
    expect(formatSpan(600)).toBe('10 minutes');
    expect(formatSpan(60)).toBe('1 minute');
    expect(formatSpan(6)).toBe('6 seconds');
  });

  it('lets only the joined host start and stop, one recording at a time', async () => {
    env = setup();
    await env.service.onModuleInit();
    await expect(env.service.start({ userId: 'bob' }, CALL)).rejects.toMatchObject({
      code: 'forbidden',
      message: ONLY_HOST_CAN_RECORD,
    });
    await expect(env.service.start({ userId: 'mallory' }, CALL)).rejects.toMatchObject({ code: 'forbidden' });
    const info = await env.service.start({ userId: 'alice' }, CALL);
    expect(info.recording).toMatchObject({ startedBy: 'alice' });
    expect(Date.parse(info.recording!.endsAt) - Date.parse(info.recording!.startedAt)).toBe(3_600_000);
    expect(env.recorders[0].options.filePath).toMatch(/[0-9a-f-]{36}\.webm$/);
    expect(env.notices()).toEqual([
      {
        to: ['alice', 'bob'],
        callId: CALL,
        kind: 'started',
        message: 'Alice Martin started recording the call',
      },
    ]);
    await expect(env.service.start({ userId: 'alice' }, CALL)).rejects.toMatchObject({ code: 'conflict' });
    await expect(env.service.stop({ userId: 'bob' }, CALL)).rejects.toMatchObject({ code: 'forbidden' });

    const stopped = await env.service.stop({ userId: 'alice' }, CALL);
    expect(stopped.recording).toBeNull();
    await env.service.settled(CALL);
    expect(env.recorders[0].stops).toBe(1);
    expect(env.notices().map((n) => n.kind)).toEqual(['started', 'stopped']);
    const id = [...env.rows.keys()][0];
    expect(env.rows.get(id)).toMatchObject({
      sizeBytes: 12_345_678,
      durationMs: 65_000,
      stopReason: 'stopped',
      fileName: expect.stringMatching(/^weekly-sync-\d{4}-\d\d-\d\d-\d{4}\.webm$/),
    });
    expect(env.posts).toEqual([
      {
        roomId: 'room-1',
        authorId: 'alice',
        body: 'Recording of the call (01:05, 11.8 MB)',
        options: {
          threadId: 'thread-1',
          attachment: expect.objectContaining({
            kind: 'recording',
            id,
            mimeType: 'video/webm',
            sizeBytes: 12_345_678,
            durationMs: 65_000,
            url: `/api/recordings/${id}/file`,
          }),
        },
      },
    ]);
    await expect(env.service.stop({ userId: 'alice' }, CALL)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('turns an engine that cannot record into unavailable', async () => {
    env = setup();
    env.refuse(new MediaRecordingUnavailableError('ffmpeg is not installed (set FFMPEG_PATH)'));
    await expect(env.service.start({ userId: 'alice' }, CALL)).rejects.toMatchObject({
      code: 'unavailable',
      message: 'ffmpeg is not installed (set FFMPEG_PATH)',
    });
    expect(env.calls.machine.info.recording ?? null).toBeNull();
    // and a provider without record()
    env.cleanup();
    env = setup({ record: false });
    await expect(env.service.start({ userId: 'alice' }, CALL)).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('reminds the host before the limit, stops at the limit and allows a new one at once', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    env = setup({ maxSeconds: 12, reminderSeconds: 6 });
    await env.service.start({ userId: 'alice' }, CALL);
    // the host hands over: the reminder goes to the new host
    env.calls.machine.setHost('bob');
    jest.advanceTimersByTime(6_000);
    expect(env.notices().at(-1)).toMatchObject({
      to: ['bob'],
      kind: 'reminder',
      message: expect.stringContaining('Recording stops in 6 seconds'),
    });
    jest.advanceTimersByTime(6_000);
    await flush();
    expect(env.notices().at(-1)).toMatchObject({ to: ['alice', 'bob'], kind: 'limit' });
    expect(env.recorders[0].stops).toBe(1);
    expect(env.calls.machine.info.recording).toBeNull();
    await flush();
    expect(env.posts).toHaveLength(1);
    expect(env.posts[0].authorId).toBe('alice');
    await env.service.start({ userId: 'bob' }, CALL);
    expect(env.recorders).toHaveLength(2);
  });

  it('on a failure: tells the host, keeps and posts what was recorded', async () => {
    env = setup();
    await env.service.start({ userId: 'alice' }, CALL);
    env.recorders[0].options.onFailure('ffmpeg exited (code 137)');
    await flush();
    expect(env.notices().at(-1)).toMatchObject({
      to: ['alice'],
      kind: 'failed',
      message: expect.stringContaining('ffmpeg exited (code 137)'),
    });
    expect(env.recorders[0].stops).toBe(1);
    expect([...env.rows.values()][0]).toMatchObject({ stopReason: 'failed' });
    expect(env.posts).toHaveLength(1);
    expect(env.service.isRecording(CALL)).toBe(false);
  });

  it('stops (and posts) when the call ends', async () => {
    env = setup();
    await env.service.onModuleInit();
    await env.service.start({ userId: 'alice' }, CALL);
    env.calls.endCall();
    await flush();
    expect(env.recorders[0].stops).toBe(1);
    expect([...env.rows.values()][0]).toMatchObject({ stopReason: 'call-ended' });
    expect(env.posts).toHaveLength(1);
  });

  it('on shutdown: stops and keeps the file, posts nothing', async () => {
    env = setup();
    await env.service.start({ userId: 'alice' }, CALL);
    await env.service.onModuleDestroy();
    expect(env.recorders[0].stops).toBe(1);
    expect([...env.rows.values()][0]).toMatchObject({ stopReason: 'shutdown', sizeBytes: 12_345_678 });
    expect(env.posts).toEqual([]);
  });

  it('posts nothing when nothing was recorded', async () => {
    env = setup();
    await env.service.start({ userId: 'alice' }, CALL);
    jest.spyOn(env.recorders[0], 'stop').mockResolvedValue({
      filePath: '/x.webm',
      sizeBytes: 0,
      durationMs: 0,
      mimeType: 'video/webm',
    });
    await env.service.stop({ userId: 'alice' }, CALL);
    await env.service.settled(CALL);
    expect(env.posts).toEqual([]);
  });
});
