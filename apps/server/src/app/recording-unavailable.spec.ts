/**
 * A server where ffmpeg cannot run (FFMPEG_PATH names nothing): calls still work, the admin API
 * says on the WebRTC provider why recording is unavailable (what the admin page's WebRTC card
 * shows), readiness names ffmpeg, and a recording request is refused `unavailable` with the reason.
 */
import type { AdminProvidersResponse, SessionResponse } from '@parley/protocol';
import { API } from '@parley/protocol';
import { RoomService } from '@parley/server-directory';
import { startTestApp, type TestApp, until } from './testing';

describe('recording without ffmpeg (integration)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ FFMPEG_PATH: '/nonexistent/bin/ffmpeg' });
  });

  afterAll(async () => {
    await t?.close();
  });

  const ids: Record<string, string> = {};
  const aliceId = () => ids.alice;
  const bobId = () => ids.bob;

  it('the WebRTC provider says recording is unavailable and why; readiness names ffmpeg; a recording is refused', async () => {
    const alice = await t.login('alice');
    for (const name of ['alice', 'bob']) {
      const token = name === 'alice' ? alice : await t.login(name);
      ids[name] = (await t.rest<SessionResponse>(API.session, { token })).body.user.id;
    }
    const unavailable = await until('the ffmpeg check to end', async () => {
      const reply = await t.rest<AdminProvidersResponse>(API.adminProviders, { token: alice });
      expect(reply.status).toBe(200);
      const webrtc = reply.body.providers.find((p) => p.type === 'webrtc');
      return webrtc?.health.unavailable?.length ? webrtc.health.unavailable : undefined;
    });
    expect(unavailable).toEqual([{ capability: 'recording', reason: expect.stringMatching(/ffmpeg/i) }]);
    const ready = await fetch(`${t.base}/api/health/ready`);
    expect(ready.status).toBe(503);
    expect(JSON.stringify(await ready.json())).toContain('ffmpeg');

    // A call still starts and is joined; its host's recording request says why not.
    const bob = await t.login('bob');
    const [aliceTab, bobTab] = [await t.tab(alice), await t.tab(bob)];
    const roomId = (
      await t.app.get(RoomService).createRoom('chat', 'no-ffmpeg', 'No ffmpeg', [aliceId(), bobId()])
    ).id;
    const call = await aliceTab.ok('call.start', {
      providerType: 'webrtc',
      target: { kind: 'room', roomId },
    });
    await bobTab.ok('call.join', { callId: call.id });
    expect(await aliceTab.request('call.recording.start', { callId: call.id })).toEqual({
      ok: false,
      error: { code: 'unavailable', message: unavailable[0].reason },
    });
  });
});
