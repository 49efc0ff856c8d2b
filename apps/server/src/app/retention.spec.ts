/**
 * Retention against the real app (SQLite file, REST, sockets) with the provider's recorder faked
 * (it writes real bytes to the file it is given): the admins' settings (validated, admins only,
 * audited), the sweep deleting an expired recording's file and row and rewriting its post, call
 * history leaving, and deleting a recording by its host or an admin (others refused).
 */
import type {
  AuditEntry,
  CallHistoryResponse,
  CallInfo,
  ChatMessage,
  RetentionSettings,
  SessionResponse,
  ValidationErrorResponse,
} from '@parley/protocol';
import { API } from '@parley/protocol';
import {
  CallHistory,
  CallMediaControls,
  RecordingEntity,
  RecordingService,
  RetentionSweep,
} from '@parley/server-calls';
import { RoomService } from '@parley/server-directory';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource, IsNull } from 'typeorm';
import { startTestApp, type TestApp, type TestTab } from './testing';

// alice is an administrator (not a member of the room); bob hosts; carol is a member; erin is not.
const USERS = ['alice', 'bob', 'carol', 'erin'] as const;
type Name = (typeof USERS)[number];
const DAY_MS = 24 * 60 * 60 * 1000;

describe('retention and deleting recordings (integration, recorder faked)', () => {
  let t: TestApp;
  const token = {} as Record<Name, string>;
  const id = {} as Record<Name, string>;
  const tab = {} as Record<Name, TestTab>;
  let roomId: string;
  let call: CallInfo;

  beforeAll(async () => {
    t = await startTestApp();
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
        writeFileSync(options.filePath, Buffer.alloc(4000, 7));
        return {
          mimeType: 'video/webm',
          maxDurationMs: 3_600_000,
          stop: async () => ({
            filePath: options.filePath,
            sizeBytes: 4000,
            durationMs: 3200,
            mimeType: 'video/webm',
          }),
        };
      },
    });
    roomId = (
      await t.app.get(RoomService).createRoom('chat', 'retention-room', 'Retention room', [id.bob, id.carol])
    ).id;
    call = await tab.bob.ok('call.start', { providerType: 'webrtc', target: { kind: 'room', roomId } });
    await tab.carol.ok('call.join', { callId: call.id });
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  /** bob records a few seconds; answers the posted message once it is in the thread. */
  async function record(): Promise<ChatMessage> {
    const posted = tab.carol.next('room.message', (m) => m.attachment?.kind === 'recording');
    await tab.bob.ok('call.recording.start', { callId: call.id });
    await tab.bob.ok('call.recording.stop', { callId: call.id });
    const message = await posted;
    await t.app.get(RecordingService).settled(call.id);
    return message;
  }

  const fileOf = (recordingId: string) => join(t.app.get(RecordingService).dir, `${recordingId}.webm`);

  async function threadMessage(message: ChatMessage): Promise<ChatMessage | undefined> {
    const thread = await t.rest<ChatMessage[]>(`${API.roomMessages(roomId)}?thread=${message.threadId}`, {
      token: token.carol,
    });
    return thread.body.find((m) => m.id === message.id);
  }

  const put = (name: Name, body: unknown) =>
    t.rest<RetentionSettings & Partial<ValidationErrorResponse>>(API.adminRetention, {
      method: 'PUT',
      token: token[name],
      body,
    });

  it('admins read and change the retention settings; bad values are refused naming the field', async () => {
    expect(await t.rest(API.adminRetention, { token: token.alice })).toEqual({
      status: 200,
      body: { recordingDays: null, callHistoryDays: null },
    });
    expect((await t.rest(API.adminRetention, { token: token.bob })).status).toBe(403);
    expect((await put('bob', { recordingDays: 30 })).status).toBe(403);

    for (const [body, field] of [
      [{ recordingDays: 0 }, 'recordingDays'],
      [{ recordingDays: 3651 }, 'recordingDays'],
      [{ recordingDays: 1.5 }, 'recordingDays'],
      [{ callHistoryDays: '30' }, 'callHistoryDays'],
      [{ keepForever: true }, 'keepForever'],
    ] as const) {
      const refused = await put('alice', body);
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([{ field, message: expect.stringContaining(field) }]);
    }

    expect(await put('alice', { recordingDays: 30 })).toEqual({
      status: 200,
      body: { recordingDays: 30, callHistoryDays: null },
    });
    expect((await put('alice', { callHistoryDays: 90 })).body).toEqual({
      recordingDays: 30,
      callHistoryDays: 90,
    });
    expect((await put('alice', { recordingDays: null })).body).toEqual({
      recordingDays: null,
      callHistoryDays: 90,
    });
    const audit = await t.rest<AuditEntry[]>(API.adminAudit, { token: token.alice });
    expect(audit.body[0]).toMatchObject({
      action: 'retention.settings',
      actorId: id.alice,
      details: { recordingDays: { from: 30, to: null } },
    });
    await put('alice', { recordingDays: null, callHistoryDays: null });
  });

  it('the sweep deletes an expired recording: its file, its row, and its post says so', async () => {
    const message = await record();
    const recordingId = message.attachment!.id;
    expect(existsSync(fileOf(recordingId))).toBe(true);
    const sweep = t.app.get(RetentionSweep);
    const repo = t.app.get(DataSource).getRepository(RecordingEntity);
    expect((await repo.findOneBy({ id: recordingId }))?.messageId).toBe(message.id);

    // Kept by default, and while younger than the setting.
    expect((await sweep.sweep(new Date(Date.now() + 400 * DAY_MS))).recordings).toEqual([]);
    await put('alice', { recordingDays: 2 });
    expect((await sweep.sweep(new Date(Date.now() + DAY_MS))).recordings).toEqual([]);
    expect(existsSync(fileOf(recordingId))).toBe(true);

    const updated = tab.carol.next('room.message.updated', (m) => m.id === message.id);
    const result = await sweep.sweep(new Date(Date.now() + 3 * DAY_MS));
    expect(result).toMatchObject({ recordings: [recordingId], failed: [] });
    expect(existsSync(fileOf(recordingId))).toBe(false);
    expect(await repo.findOneBy({ id: recordingId })).toBeNull();
    const expected = {
      ...message,
      body: 'Recording of the call (00:03, 4 KB) deleted: recordings are kept 2 days',
      attachment: null,
    };
    expect(await updated).toEqual(expected);
    expect(await threadMessage(message)).toEqual(expected);
    expect((await t.rest(API.recordingFile(recordingId), { token: token.carol })).status).toBe(404);

    // Again: nothing left to do.
    expect(await sweep.sweep(new Date(Date.now() + 3 * DAY_MS))).toEqual({
      recordings: [],
      failed: [],
      calls: 0,
    });
    await put('alice', { recordingDays: null });
  }, 30_000);

  it('the host who recorded it or an admin deletes a recording; other members and non-members are refused', async () => {
    const first = await record();
    const firstId = first.attachment!.id;
    const remove = (name: Name, recordingId: string) =>
      t.rest<{ message: string }>(API.recording(recordingId), { method: 'DELETE', token: token[name] });

    const carol = await remove('carol', firstId);
    expect(carol).toMatchObject({
      status: 403,
      body: { message: 'Only the host who recorded it or an administrator can delete a recording' },
    });
    expect((await remove('erin', firstId)).status).toBe(403);
    expect((await remove('bob', '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await remove('bob', '../../etc/passwd')).status).toBe(404);
    expect(existsSync(fileOf(firstId))).toBe(true);

    const updated = tab.carol.next('room.message.updated', (m) => m.id === first.id);
    expect((await remove('bob', firstId)).status).toBe(204);
    expect(existsSync(fileOf(firstId))).toBe(false);
    expect((await updated).body).toBe('Recording of the call (00:03, 4 KB) deleted by Bob Nguyen');
    expect(await threadMessage(first)).toMatchObject({ attachment: null });
    expect((await remove('bob', firstId)).status).toBe(404);

    // An administrator who is not in the room.
    const second = await record();
    expect((await remove('alice', second.attachment!.id)).status).toBe(204);
    expect(existsSync(fileOf(second.attachment!.id))).toBe(false);
    expect((await threadMessage(second))?.body).toBe(
      'Recording of the call (00:03, 4 KB) deleted by Alice Martin',
    );

    // Not while it records.
    const live = tab.bob.next('call.updated', (c) => !!c.recording);
    await tab.bob.ok('call.recording.start', { callId: call.id });
    await live;
    const open = await t.app
      .get(DataSource)
      .getRepository(RecordingEntity)
      .findOneBy({ stoppedAt: IsNull() });
    expect(await remove('bob', open!.id)).toMatchObject({
      status: 409,
      body: { message: 'The recording is still going on: stop it first' },
    });
    const posted = tab.carol.next('room.message', (m) => m.attachment?.kind === 'recording');
    await tab.bob.ok('call.recording.stop', { callId: call.id });
    await posted;
  }, 30_000);

  it('the sweep deletes ended calls older than the call-history setting', async () => {
    await tab.bob.ok('call.end', { callId: call.id });
    await t.app.get(RecordingService).settled(call.id);
    await t.app.get(CallHistory).flush();
    const history = () =>
      t
        .rest<CallHistoryResponse>(API.callHistory, { token: token.carol })
        .then((r) => r.body.entries.map((e) => e.call.id));
    expect(await history()).toContain(call.id);
    await put('alice', { callHistoryDays: 1 });
    const sweep = t.app.get(RetentionSweep);
    expect((await sweep.sweep(new Date(Date.now() + DAY_MS / 2))).calls).toBe(0);
    expect((await sweep.sweep(new Date(Date.now() + 2 * DAY_MS))).calls).toBeGreaterThanOrEqual(1);
    expect(await history()).not.toContain(call.id);
  }, 30_000);
});
