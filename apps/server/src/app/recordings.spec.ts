/**
 * Call recording over real sockets and REST against the real app, with the provider's recorder
 * faked (it writes bytes to the file it is given; the real ffmpeg path is covered end to end in
 * test/e2e/recording.e2e.spec.ts): host only, notices, the post in the call's thread, the download
 * (members only, ranges), the limit with its reminder, a failure, an engine that cannot record.
 */
import type { CallInfo, ChatMessage, SessionResponse } from '@parley/protocol';
import { API } from '@parley/protocol';
import {
  CallMediaControls,
  type MediaRecordingOptions,
  MediaRecordingUnavailableError,
  RecordingService,
} from '@parley/server-calls';
import { RoomService } from '@parley/server-directory';
import { existsSync, writeFileSync } from 'node:fs';
import { startTestApp, type TestApp, type TestTab } from './testing';

const USERS = ['alice', 'bob', 'carol'] as const;
type Name = (typeof USERS)[number];

describe('call recording (integration, recorder faked)', () => {
  let t: TestApp;
  const token = {} as Record<Name, string>;
  const id = {} as Record<Name, string>;
  const tab = {} as Record<Name, TestTab>;
  let roomId: string;
  let call: CallInfo;
  let refuse: Error | null = null;
  const recorders: { options: MediaRecordingOptions; stopped: boolean }[] = [];

  beforeAll(async () => {
    t = await startTestApp({ RECORDING_MAX_SECONDS: '5', RECORDING_REMINDER_SECONDS: '2' });
    for (const name of USERS) {
      token[name] = await t.login(name);
      id[name] = (await t.rest<SessionResponse>(API.session, { token: token[name] })).body.user.id;
      tab[name] = await t.tab(token[name]);
    }
    const controls = t.app.get(CallMediaControls);
    const webrtc = controls.get('webrtc');
    if (!webrtc) throw new Error('no webrtc media control');
    controls.register('webrtc', {
      ...webrtc,
      record: async (options) => {
        if (refuse) throw refuse;
        const recorder = { options, stopped: false };
        recorders.push(recorder);
        writeFileSync(options.filePath, Buffer.alloc(4000, 7));
        return {
          mimeType: 'video/webm',
          maxDurationMs: 3_600_000,
          stop: async () => {
            recorder.stopped = true;
            return { filePath: options.filePath, sizeBytes: 4000, durationMs: 3200, mimeType: 'video/webm' };
          },
        };
      },
    });
    // carol is not a member.
    roomId = (
      await t.app.get(RoomService).createRoom('chat', 'rec-room', 'Recorded room', [id.alice, id.bob])
    ).id;
    call = await tab.alice.ok('call.start', { providerType: 'webrtc', target: { kind: 'room', roomId } });
    await tab.bob.ok('call.join', { callId: call.id });
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  it('the host records; the others are refused; it is posted in the thread and members download it', async () => {
    expect(existsSync(t.app.get(RecordingService).dir)).toBe(true);
    expect(await tab.bob.request('call.recording.start', { callId: call.id })).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'Only the host can record' },
    });
    expect(await tab.carol.request('call.recording.start', { callId: call.id })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await tab.bob.request('call.recording.start', { callId: 7 })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });

    const started = tab.bob.next('call.recording.notice', (n) => n.kind === 'started');
    const updated = tab.bob.next('call.updated', (c) => !!c.recording);
    const info = await tab.alice.ok('call.recording.start', { callId: call.id });
    expect(info.recording).toMatchObject({ startedBy: id.alice });
    expect((await started).message).toBe('Alice Martin started recording the call');
    expect((await updated).recording?.startedBy).toBe(id.alice);
    expect(await tab.alice.request('call.recording.start', { callId: call.id })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });

    const threadId = (await tab.alice.ok('call.room.get', { roomId })).call?.threadId;
    const posted = tab.bob.next('room.message', (m) => m.attachment?.kind === 'recording');
    const stopped = tab.bob.next('call.recording.notice', (n) => n.kind === 'stopped');
    const after = await tab.alice.ok('call.recording.stop', { callId: call.id });
    expect(after.recording).toBeNull();
    await stopped;
    const message = await posted;
    expect(message).toMatchObject({
      roomId,
      authorId: id.alice,
      body: 'Recording of the call (00:03, 4 KB)',
      threadId: threadId,
    });
    expect(threadId).toEqual(expect.any(String));
    const attachment = message.attachment!;
    expect(attachment).toMatchObject({ sizeBytes: 4000, durationMs: 3200, mimeType: 'video/webm' });
    expect(recorders[0].stopped).toBe(true);

    const whole = await fetch(t.base + attachment.url, { headers: { authorization: `Bearer ${token.bob}` } });
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(whole.headers.get('content-disposition')).toBe(`attachment; filename="${attachment.name}"`);
    expect((await whole.arrayBuffer()).byteLength).toBe(4000);
    const part = await fetch(t.base + attachment.url, {
      headers: { authorization: `Bearer ${token.bob}`, range: 'bytes=100-199' },
    });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 100-199/4000');
    expect((await part.arrayBuffer()).byteLength).toBe(100);
    const denied = await fetch(t.base + attachment.url, {
      headers: { authorization: `Bearer ${token.carol}` },
    });
    expect(denied.status).toBe(403);
    expect((await t.rest(API.recordingFile('../../etc/passwd'), { token: token.bob })).status).toBe(404);
    expect(
      (await t.rest(API.recordingFile('00000000-0000-4000-8000-000000000000'), { token: token.bob })).status,
    ).toBe(404);
    expect((await fetch(t.base + attachment.url)).status).toBe(401);

    // `/call recording` for a non-host, then the host.
    const refused = await t.rest<ChatMessage>(API.roomMessages(roomId), {
      method: 'POST',
      token: token.bob,
      body: { body: '/call recording start' },
    });
    expect(refused.body).toMatchObject({ ephemeral: true, body: 'Cannot do that: Only the host can record' });
    const usage = await tab.alice.ok('room.send', { roomId, body: '/call recording' });
    expect(usage.body).toBe('Usage: /call recording start|stop');
  }, 30_000);

  it('reminds the host before the limit, stops at the limit, and a new one starts at once', async () => {
    const reminder = tab.alice.next('call.recording.notice', (n) => n.kind === 'reminder');
    const limit = tab.bob.next('call.recording.notice', (n) => n.kind === 'limit');
    const posted = tab.bob.next('room.message', (m) => m.attachment?.kind === 'recording');
    const startedAt = Date.now();
    const reply = await t.rest<ChatMessage>(API.roomMessages(roomId), {
      method: 'POST',
      token: token.alice,
      body: { body: '/call recording start' },
    });
    expect(reply.body.body).toBe('Recording started.');
    expect((await reminder).message).toMatch(/^Recording stops in 2 seconds/);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(2500);
    await limit;
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(4500);
    await posted;
    const again = await tab.alice.ok('call.recording.start', { callId: call.id });
    expect(again.recording).not.toBeNull();
    await tab.alice.ok('call.recording.stop', { callId: call.id });
  }, 30_000);

  it('a failure tells the host and keeps what was recorded; an engine that cannot record is unavailable', async () => {
    await tab.alice.ok('call.recording.start', { callId: call.id });
    const failed = tab.alice.next('call.recording.notice', (n) => n.kind === 'failed');
    const posted = tab.bob.next('room.message', (m) => m.attachment?.kind === 'recording');
    const cleared = tab.bob.next('call.updated', (c) => c.recording === null);
    recorders.at(-1)!.options.onFailure('ffmpeg exited unexpectedly (signal SIGKILL)');
    expect((await failed).message).toContain('ffmpeg exited unexpectedly (signal SIGKILL)');
    await cleared;
    await posted;

    refuse = new MediaRecordingUnavailableError('ffmpeg was not found: install it or set FFMPEG_PATH');
    expect(await tab.alice.request('call.recording.start', { callId: call.id })).toEqual({
      ok: false,
      error: { code: 'unavailable', message: 'ffmpeg was not found: install it or set FFMPEG_PATH' },
    });
    refuse = null;
  }, 30_000);

  it('the call ending stops the recording and posts it', async () => {
    await tab.alice.ok('call.recording.start', { callId: call.id });
    const posted = tab.bob.next('room.message', (m) => m.attachment?.kind === 'recording');
    await tab.alice.ok('call.end', { callId: call.id });
    await posted;
    expect(recorders.at(-1)!.stopped).toBe(true);
  }, 30_000);
});
