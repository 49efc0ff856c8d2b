import type { InitialMediaState } from '../host/connector-types';
import { directCall, FakeHost, setUpCallService, settle, user } from '../../testing/fake-widget-host';
import type { CallService } from './call.service';
import { grantMedia, mediaError } from './media-access.spec-helpers';

/** A track of `kind` (only what the session and the probe touch). */
const track = (kind: 'audio' | 'video') => ({ kind, stop: jest.fn(), enabled: true });

/** The browser's camera/microphone: `camera` / `mic` false = blocked; records what was asked. */
function devices(host: FakeHost, { camera, mic }: { camera: boolean; mic: boolean }) {
  const asked: InitialMediaState[] = [];
  Object.assign(host.fakeConnector, {
    prepareMedia: (media: InitialMediaState) => {
      asked.push(media);
      const wanted = media.send === 'none' ? [] : media.send === 'audio' ? ['audio'] : ['audio', 'video'];
      if ((wanted.includes('video') && !camera) || (wanted.includes('audio') && !mic)) {
        return Promise.reject(mediaError('NotAllowedError'));
      }
      const tracks = wanted.map((kind) => track(kind as 'audio' | 'video'));
      return Promise.resolve({
        getTracks: () => tracks,
        getAudioTracks: () => tracks.filter((t) => t.kind === 'audio'),
        getVideoTracks: () => tracks.filter((t) => t.kind === 'video'),
      } as unknown as MediaStream);
    },
  });
  return asked;
}

const names = (host: FakeHost) => host.requests.map((r) => r.name);

describe('CallService: camera/microphone blocked (one-to-one)', () => {
  let host: FakeHost;
  let calls: CallService;

  afterEach(() => jest.useRealTimers());

  beforeEach(() => {
    grantMedia('prompt');
    ({ host, calls } = setUpCallService());
    host.users.set(new Map([...host.users(), ['bob', user('bob', 'Bob Nguyen')]]));
    host.answers.set('call.start', () => directCall());
  });

  it('a blocked caller never places the call; the message stays until closed', async () => {
    jest.useFakeTimers();
    devices(host, { camera: false, mic: false });
    await calls.start({ kind: 'user', userId: 'bob' }, 'webrtc');
    await jest.advanceTimersByTimeAsync(0);
    const blocked = calls.session()?.blocked;
    expect(blocked?.message).toContain('Camera and microphone access is blocked');
    expect(blocked?.audioOnly).toBe(false);
    expect(names(host)).not.toContain('call.start');
    // No timer closes it (end messages last 50 ms here).
    await jest.advanceTimersByTimeAsync(500);
    expect(calls.session()?.blocked).not.toBeNull();
    calls.giveUp();
    expect(calls.current()).toBeNull();
    expect(names(host)).not.toContain('call.start');
  });

  it('camera blocked, microphone fine: "audio only" places the call with the microphone only', async () => {
    const asked = devices(host, { camera: false, mic: true });
    await calls.start({ kind: 'user', userId: 'bob' }, 'webrtc');
    await settle();
    expect(calls.session()?.blocked?.audioOnly).toBe(true);
    await calls.continueWith('audio');
    expect(asked.at(-1)?.send).toBe('audio');
    expect(names(host)).toContain('call.start');
    expect(calls.session()?.phase).toBe('ringing');
    expect(calls.session()?.send).toBe('audio');
    expect(calls.cameraOff()).toBe(true);
  });

  it('a blocked callee keeps the ring while deciding; Close ends it "no camera/microphone access"', async () => {
    devices(host, { camera: false, mic: false });
    const ring = directCall({ callerId: 'bob', target: { kind: 'user', userId: 'me' } });
    host.push('call.incoming', { call: ring, caller: user('bob', 'Bob Nguyen') });
    await calls.answer(ring.id);
    await settle();
    expect(calls.session()?.blocked?.message).toContain('blocked');
    expect(names(host)).not.toContain('call.decline');
    expect(names(host)).not.toContain('call.answer');
    calls.giveUp();
    await settle();
    expect(host.requests.find((r) => r.name === 'call.decline')?.payload).toEqual({
      callId: ring.id,
      noMedia: true,
    });
  });

  it('a blocked callee may answer receive-only: nothing is sent, the view opens', async () => {
    const asked = devices(host, { camera: false, mic: false });
    const ring = directCall({ callerId: 'bob', target: { kind: 'user', userId: 'me' } });
    host.answers.set('call.answer', () => ({
      call: directCall({ state: 'active', answeredAt: 'x' }),
      joinInfo: {},
    }));
    host.push('call.incoming', { call: ring, caller: user('bob', 'Bob Nguyen') });
    await calls.answer(ring.id);
    await settle();
    await calls.continueWith('none');
    await settle();
    expect(asked.at(-1)?.send).toBe('none');
    expect(names(host)).toContain('call.answer');
    expect(host.opened?.media).toEqual({ micEnabled: false, cameraEnabled: false, send: 'none' });
    expect(calls.session()?.blocked).toBeNull();
  });
});
