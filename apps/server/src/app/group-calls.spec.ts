/**
 * Group calls in rooms over real sockets against the real app and a real mediasoup worker:
 * membership (REST, socket, link, slash commands), max participants, host actions, hands and
 * reactions, `/call` commands with ephemeral replies, screen-share policy, malformed signaling,
 * host hand-over, end + history, and a worker death answered by `webrtc.reset`.
 */
import type {
  CallHistoryResponse,
  CallInfo,
  ChatMessage,
  RoomCallInfo,
  WebrtcJoinInfo,
  WebrtcTransportInfo,
} from '@parley/protocol';
import { API } from '@parley/protocol';
import { MediasoupService } from '@parley/connector-webrtc';
import { RoomService } from '@parley/server-directory';
import { signInAll, startTestApp, useLoopbackSfu, type TestApp, type TestTab } from './testing';

const OPUS = { mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 };
const USERS = ['alice', 'bob', 'carol', 'dave', 'erin'] as const;
type Name = (typeof USERS)[number];

describe('group calls in rooms (integration)', () => {
  let t: TestApp;
  const token = {} as Record<Name, string>;
  const id = {} as Record<Name, string>;
  const tab = {} as Record<Name, TestTab>;
  let roomId: string;
  let otherRoomId: string;

  beforeAll(async () => {
    t = await startTestApp({ CALL_MAX_PARTICIPANTS: '3', CALL_RECONNECT_GRACE_SECONDS: '30' });
    await signInAll(t, USERS, token, id);
    await useLoopbackSfu(t, token.alice, { maxBitrate: 800000, screenShareAllowed: false });
    const rooms = t.app.get(RoomService);
    // erin is not a member.
    roomId = (
      await rooms.createRoom('chat', 'group-call-room', 'Group call room', [
        id.alice,
        id.bob,
        id.carol,
        id.dave,
      ])
    ).id;
    otherRoomId = (await rooms.createRoom('group', 'gm-bob-carol', 'GM', [id.bob, id.carol, id.alice])).id;
    for (const name of USERS) tab[name] = await t.tab(token[name]);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('runs a room call: members only, max participants, host actions, slash commands, history', async () => {
    // Non-members: refused on every path, and nothing starts.
    const target = { kind: 'room', roomId };
    expect(await tab.erin.request('call.start', { providerType: 'webrtc', target })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: 'You are not a member of this room' },
    });
    expect(await tab.erin.request('call.room.get', { roomId })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await tab.erin.request('call.room.join', { roomId })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect((await t.rest(API.roomCall(roomId), { token: token.erin })).status).toBe(403);
    const erinSlash = await t.rest(API.roomMessages(roomId), {
      method: 'POST',
      token: token.erin,
      body: { body: '/call start' },
    });
    expect(erinSlash.status).toBe(403);
    expect(await tab.erin.request('room.send', { roomId, body: '/call start' })).toMatchObject({ ok: false });
    expect((await tab.alice.ok('call.room.get', { roomId })).call).toBeNull();

    // `/call start <title>` over the socket: an ephemeral reply to alice only; the room's members
    // get the banner push; alice's tabs are told to open the call.
    const started = tab.bob.next('call.room.started');
    const opened = tab.alice.next('call.open');
    const ephemeral = tab.alice.next('room.ephemeral');
    const bobEphemeral = tab.bob.record('room.ephemeral');
    const reply: ChatMessage = await tab.alice.ok('room.send', { roomId, body: '/call start Weekly sync' });
    expect(reply).toMatchObject({ ephemeral: true, body: 'Call started.', roomId });
    expect(await ephemeral).toMatchObject({ ephemeral: true, body: 'Call started.' });
    const banner = await started;
    expect(banner).toMatchObject({ roomId, ring: false, startedBy: { id: id.alice } });
    const call: CallInfo = banner.call;
    expect(call).toMatchObject({
      kind: 'group',
      state: 'active',
      hostId: id.alice,
      title: 'Weekly sync',
      maxParticipants: 3,
      target: { kind: 'room', roomId },
    });
    expect((await opened).call.id).toBe(call.id);
    // The slash command was not stored.
    const stored = await t.rest<ChatMessage[]>(API.roomMessages(roomId), { token: token.bob });
    expect(stored.body.some((m) => m.body.startsWith('/call'))).toBe(false);
    // The call's chat: a "call started" root message by the starter; its id is the call's thread.
    expect(stored.body.find((m) => m.id === call.threadId)).toMatchObject({
      authorId: id.alice,
      body: '📞 Call started: Weekly sync',
      threadId: null,
      replyCount: 0,
    });
    const chatLine = tab.carol.next('room.message', (m) => m.threadId === call.threadId);
    await tab.bob.ok('room.send', { roomId, body: 'notes in the call', threadId: call.threadId });
    expect(await chatLine).toMatchObject({ authorId: id.bob, body: 'notes in the call' });
    // One live call per room: starting again returns it.
    expect((await tab.bob.ok('call.start', { providerType: 'webrtc', target })).id).toBe(call.id);

    // Joins: alice (starter) gets joinInfo; bob via the permanent link; carol by id; dave is one too many.
    const aliceJoin = await tab.alice.ok('call.join', { callId: call.id });
    expect((aliceJoin.joinInfo as unknown as WebrtcJoinInfo).screenShareAllowed).toBe(false);
    const linkInfo: RoomCallInfo = (await t.rest<RoomCallInfo>(API.roomCall(roomId), { token: token.bob }))
      .body;
    expect(linkInfo).toMatchObject({ roomId, link: `/rooms/${roomId}/call`, call: { id: call.id } });
    await tab.bob.ok('call.room.join', { roomId });
    await tab.carol.ok('call.join', { callId: call.id });
    expect(await tab.dave.request('call.room.join', { roomId })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'The call is full (max 3 participants)' },
    });
    expect(await tab.erin.request('call.join', { callId: call.id })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });

    // Hands and reactions.
    const handUp = tab.alice.next(
      'call.updated',
      (c) => !!c.participants.find((p) => p.userId === id.carol)?.handRaisedAt,
    );
    await tab.carol.ok('call.hand', { callId: call.id, raised: true });
    await handUp;
    const reaction = tab.carol.next('call.reaction');
    await tab.bob.ok('call.reaction', { callId: call.id, emoji: '👍' });
    expect(await reaction).toMatchObject({ callId: call.id, userId: id.bob, emoji: '👍' });
    expect(await tab.bob.request('call.reaction', { callId: call.id, emoji: '<b>x</b>' })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });

    // Host actions: a non-host is refused; the host mutes, lowers a hand, passes host on.
    for (const [name, payload] of [
      ['call.host.mute', { callId: call.id, userId: id.carol }],
      ['call.host.mute', { callId: call.id }],
      ['call.host.lowerHand', { callId: call.id, userId: id.carol }],
      ['call.host.remove', { callId: call.id, userId: id.carol }],
      ['call.host.transfer', { callId: call.id, userId: id.bob }],
      ['call.host.stopScreenShare', { callId: call.id, userId: id.carol }],
      ['call.end', { callId: call.id }],
    ] as const) {
      expect(await tab.bob.request(name, payload)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    const muted = tab.bob.next('call.moderated');
    const mutedAll = await tab.alice.ok('call.host.mute', { callId: call.id });
    expect(await muted).toEqual({ callId: call.id, action: 'muted', byUserId: id.alice });
    expect(
      mutedAll.participants
        .filter((p) => p.muted)
        .map((p) => p.userId)
        .sort(),
    ).toEqual([id.bob, id.carol].sort());
    const lowered = tab.carol.next('call.moderated');
    const afterLower = await tab.alice.ok('call.host.lowerHand', { callId: call.id, userId: id.carol });
    expect((await lowered).action).toBe('handLowered');
    expect(afterLower.participants.find((p) => p.userId === id.carol)?.handRaisedAt).toBeNull();

    // WebRTC: screen share refused by the admin setting; malformed / out-of-order signaling gets
    // error replies and the call goes on.
    expect(
      await tab.dave.request('webrtc.transport.create', { callId: call.id, direction: 'send' }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(
      await tab.carol.request('webrtc.consume', {
        callId: call.id,
        producerId: 'nope',
        rtpCapabilities: aliceJoin.joinInfo['routerRtpCapabilities'],
      }),
    ).toMatchObject({ ok: false });
    const send: WebrtcTransportInfo = await tab.bob.ok('webrtc.transport.create', {
      callId: call.id,
      direction: 'send',
    });
    expect(
      await tab.bob.request('webrtc.produce', {
        transportId: send.id,
        kind: 'video',
        rtpParameters: { codecs: [], encodings: [] },
        appData: { source: 'screen' },
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringMatching(/Screen sharing/) },
    });
    expect(
      await tab.bob.request('webrtc.produce', {
        transportId: send.id,
        kind: 'audio',
        rtpParameters: { codecs: 'bad' },
        appData: { source: 'mic' },
      }),
    ).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(
      await tab.bob.request('webrtc.produce', {
        transportId: 'unknown',
        kind: 'audio',
        rtpParameters: { codecs: [OPUS], encodings: [{ ssrc: 1 }] },
      }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(
      await tab.bob.request('webrtc.consumer.setPreferredLayers', { consumerId: 'nope', spatialLayer: 1 }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const { producerId } = await tab.bob.ok('webrtc.produce', {
      transportId: send.id,
      kind: 'audio',
      rtpParameters: { codecs: [OPUS], encodings: [{ ssrc: 33333333 }] },
      appData: { source: 'mic' },
    });
    // The host's mute is enforced on the SFU (the mic producer is paused for everyone: pushes go
    // to the tabs that have transports).
    await tab.carol.ok('webrtc.transport.create', { callId: call.id, direction: 'recv' });
    const paused = tab.carol.next('webrtc.producer.paused');
    await tab.alice.ok('call.host.mute', { callId: call.id, userId: id.bob });
    expect(await paused).toMatchObject({ producerId, userId: id.bob });

    // `/call stats` (REST this time): ephemeral JSON of the caller's transports/producers/consumers.
    const stats = await t.rest<ChatMessage>(API.roomMessages(roomId), {
      method: 'POST',
      token: token.bob,
      body: { body: '/call stats' },
    });
    expect(stats.status).toBe(201);
    expect(stats.body.ephemeral).toBe(true);
    const parsed = JSON.parse(stats.body.body) as {
      transports: { id: string; stats: unknown[] }[];
      producers: { id: string; paused: boolean }[];
    };
    expect(parsed.transports).toEqual([expect.objectContaining({ id: send.id, stats: expect.any(Array) })]);
    expect(parsed.producers).toEqual([expect.objectContaining({ id: producerId, paused: true })]);
    expect(bobEphemeral.map((m) => m.body)).toEqual([stats.body.body]);

    // Other commands: link posts a stored message; recording is for the host only; help.
    const posted = tab.carol.next('room.message', (m) => m.body.includes(`/rooms/${roomId}/call`));
    const link = await tab.bob.ok('room.send', { roomId, body: '/call link' });
    expect(link.body).toMatch(/^Call link posted: .*\/rooms\/.+\/call$/);
    expect((await posted).authorId).toBe(id.bob);
    expect((await tab.bob.ok('room.send', { roomId, body: '/call recording start' })).body).toBe(
      'Cannot do that: Only the host can record',
    );
    expect(await tab.bob.request('call.recording.start', { callId: call.id })).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'Only the host can record' },
    });
    expect((await tab.bob.ok('room.send', { roomId, body: '/call' })).body).toMatch(/^Usage: \/call start/);
    expect((await tab.bob.ok('room.send', { roomId, body: '/call end' })).body).toMatch(
      /Only the host \(or an admin\)/,
    );

    // The host leaves: host passes to the longest-joined participant (bob).
    const handedOver = tab.bob.next('call.updated', (c) => c.hostId === id.bob);
    await tab.alice.ok('call.hangup', { callId: call.id });
    await handedOver;
    // `/call host @carol` by the new host, then carol removes bob and ends the call.
    expect((await tab.bob.ok('room.send', { roomId, body: '/call host @carol' })).body).toBe(
      '@carol is now the host.',
    );
    const removed = tab.bob.next('call.moderated', (m) => m.action === 'removed');
    const afterRemove = await tab.carol.ok('call.host.remove', { callId: call.id, userId: id.bob });
    await removed;
    expect(afterRemove.participants.find((p) => p.userId === id.bob)?.state).toBe('left');
    // The freed seat lets dave in now.
    await tab.dave.ok('call.room.join', { roomId });
    const bannerGone = tab.alice.next('call.room.updated', (u) => u.call.state === 'ended');
    expect((await tab.carol.ok('room.send', { roomId, body: '/call end' })).body).toBe(
      'Call ended for everyone.',
    );
    const ended = (await bannerGone).call;
    expect(ended).toMatchObject({ state: 'ended', outcome: 'completed', endReason: 'ended by Carol Diaz' });
    expect((await tab.alice.ok('call.room.get', { roomId })).call).toBeNull();

    const history = await t.rest<CallHistoryResponse>(API.callHistory, { token: token.carol });
    const row = history.body.entries.find((e) => e.call.id === call.id);
    expect(row).toMatchObject({ peer: null, call: { kind: 'group', state: 'ended' } });
    expect(row?.call.participants.map((p) => p.userId).sort()).toEqual(
      [id.alice, id.bob, id.carol, id.dave].sort(),
    );
    expect(row?.call.durationSeconds).toBeGreaterThan(0);
  });

  it('the last participant out ends the call; a DM/GM call offers a ring', async () => {
    // Posting the call's thread fails: the call starts anyway, without a thread.
    const post = jest.spyOn(t.app.get(RoomService), 'post').mockRejectedValueOnce(new Error('disk full'));
    const started = tab.carol.next('call.room.started', (e) => e.roomId === otherRoomId);
    const call = await tab.bob.ok('call.start', {
      providerType: 'webrtc',
      target: { kind: 'room', roomId: otherRoomId },
    });
    expect(post).toHaveBeenCalledTimes(1);
    post.mockRestore();
    expect(call).toMatchObject({ state: 'active', threadId: null });
    expect((await started).ring).toBe(true);
    const done = tab.bob.next('call.ended');
    await tab.bob.ok('call.hangup', { callId: call.id });
    expect((await done).call).toMatchObject({ outcome: 'completed', endReason: 'everyone left' });
  });

  it('a dying worker is restarted and the call gets webrtc.reset; participants rebuild', async () => {
    const media = t.app.get(MediasoupService, { strict: false });
    const call = await tab.alice.ok('call.start', {
      providerType: 'webrtc',
      target: { kind: 'room', roomId },
    });
    await tab.alice.ok('call.join', { callId: call.id });
    await tab.bob.ok('call.join', { callId: call.id });
    await tab.alice.ok('webrtc.transport.create', { callId: call.id, direction: 'send' });
    await tab.bob.ok('webrtc.transport.create', { callId: call.id, direction: 'recv' });
    const [pid] = media.workerPids();
    const resetAlice = tab.alice.next('webrtc.reset');
    const resetBob = tab.bob.next('webrtc.reset');
    process.kill(pid, 'SIGKILL');
    const reset = await resetAlice;
    expect(reset.callId).toBe(call.id);
    expect(reset.routerRtpCapabilities).toHaveProperty('codecs');
    await resetBob;
    expect(media.workerPids()).toHaveLength(1);
    expect(media.workerPids()[0]).not.toBe(pid);
    // The call goes on: new transports on the new router.
    const fresh: WebrtcTransportInfo = await tab.alice.ok('webrtc.transport.create', {
      callId: call.id,
      direction: 'send',
    });
    expect(fresh.iceCandidates.length).toBeGreaterThan(0);
    expect(await tab.bob.ok('call.current', {})).toEqual([
      expect.objectContaining({ id: call.id, state: 'active' }),
    ]);
    await tab.alice.ok('call.end', { callId: call.id });
  });

  it('a dropped tab shows as reconnecting, and a new socket resumes with call.join', async () => {
    const call = await tab.alice.ok('call.start', {
      providerType: 'webrtc',
      target: { kind: 'room', roomId },
    });
    await tab.alice.ok('call.join', { callId: call.id });
    await tab.bob.ok('call.join', { callId: call.id });
    const reconnecting = tab.alice.next(
      'call.updated',
      (c) => c.participants.find((p) => p.userId === id.bob)?.reconnecting === true,
    );
    tab.bob.close();
    await reconnecting;
    const back = tab.alice.next(
      'call.updated',
      (c) => c.participants.find((p) => p.userId === id.bob)?.reconnecting === false,
    );
    tab.bob = await t.tab(token.bob);
    await back;
    const resumed = await tab.bob.ok('call.join', { callId: call.id });
    expect(resumed.call.participants.find((p) => p.userId === id.bob)).toMatchObject({
      state: 'joined',
      reconnecting: false,
    });
    await tab.alice.ok('call.end', { callId: call.id });
  });
});
