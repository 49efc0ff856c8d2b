import type { InitialMediaState } from '../host/connector-types';
import { FakeHost, groupCall, setUpCallService, settle } from '../../testing/fake-widget-host';
import type { CallService } from '../calls/call.service';
import { mediaError } from '../calls/media-access.spec-helpers';
import { rememberDevices, rememberedDevices } from './devices';
import { levelOf } from './level-meter';

const track = (kind: 'audio' | 'video') => ({ kind, stop: jest.fn(), enabled: true });

/** The browser's camera/microphone (`false`: blocked); records what the check asked for. */
function devices(host: FakeHost, { camera, mic }: { camera: boolean; mic: boolean }) {
  const asked: InitialMediaState[] = [];
  const streams: MediaStream[] = [];
  Object.assign(host.fakeConnector, {
    prepareMedia: (media: InitialMediaState) => {
      asked.push(media);
      const wanted = media.send === 'audio' ? ['audio'] : ['audio', 'video'];
      if ((wanted.includes('video') && !camera) || !mic) return Promise.reject(mediaError('NotAllowedError'));
      const tracks = wanted.map((kind) => track(kind as 'audio' | 'video'));
      const stream = {
        getTracks: () => tracks,
        getAudioTracks: () => tracks.filter((t) => t.kind === 'audio'),
        getVideoTracks: () => tracks.filter((t) => t.kind === 'video'),
      } as unknown as MediaStream;
      streams.push(stream);
      return Promise.resolve(stream);
    },
  });
  return { asked, streams };
}

const names = (host: FakeHost) => host.requests.map((r) => r.name);

describe('CallService: the pre-join check of group calls', () => {
  let host: FakeHost;
  let calls: CallService;

  beforeEach(() => {
    localStorage.clear();
    ({ host, calls } = setUpCallService());
    host.answers.set('call.room.join', () => ({ call: groupCall(), joinInfo: {} }));
  });

  it('opens before anything is joined; Join hands its stream and switches to the call', async () => {
    const { streams } = devices(host, { camera: true, mic: true });
    await calls.joinRoom('r1', 'webrtc');
    await settle();
    const check = calls.prejoin();
    expect(check?.state().stream).toBe(streams[0]);
    expect(check?.state().starting).toBe(false);
    expect(names(host)).not.toContain('call.room.join');
    expect(calls.session()?.phase).toBe('starting');

    await calls.setMuted(true);
    expect(streams[0].getAudioTracks()[0].enabled).toBe(false);
    expect(streams[0].getVideoTracks()[0].enabled).toBe(true);

    await calls.joinFromPrejoin();
    await settle();
    expect(calls.prejoin()).toBeNull();
    expect(names(host)).toContain('call.room.join');
    expect(host.opened?.localStream).toBe(streams[0]);
    expect(host.opened?.media).toMatchObject({ micEnabled: false, cameraEnabled: true });
    expect(streams[0].getTracks().every((t) => (t.stop as jest.Mock).mock.calls.length === 0)).toBe(true);
  });

  it('Cancel releases the camera and microphone and joins nothing', async () => {
    const { streams } = devices(host, { camera: true, mic: true });
    await calls.joinRoom('r1', 'webrtc');
    await settle();
    calls.cancelPrejoin();
    expect(streams[0].getTracks().every((t) => (t.stop as jest.Mock).mock.calls.length === 1)).toBe(true);
    expect(names(host)).not.toContain('call.room.join');
    expect(calls.session()).toBeNull();
  });

  it('a blocked camera: says so, and the call is joined with the microphone only', async () => {
    const { asked } = devices(host, { camera: false, mic: true });
    await calls.joinRoom('r1', 'webrtc');
    await settle();
    const state = calls.prejoin()?.state();
    expect(state?.send).toBe('audio');
    expect(state?.problem).toMatch(/blocked.*microphone only/s);
    expect(asked.map((media) => media.send)).toEqual([undefined, 'audio']);
    await calls.joinFromPrejoin();
    await settle();
    expect(host.opened?.media.send).toBe('audio');
    expect(calls.cameraOff()).toBe(true);
  });

  it('nothing works: joins receive-only', async () => {
    devices(host, { camera: false, mic: false });
    await calls.joinRoom('r1', 'webrtc');
    await settle();
    expect(calls.prejoin()?.state()).toMatchObject({ stream: null, send: 'none' });
    await calls.joinFromPrejoin();
    await settle();
    expect(host.opened?.media.send).toBe('none');
  });

  it('a picked device is remembered and asked for, in this check and the next call', async () => {
    const { asked } = devices(host, { camera: true, mic: true });
    await calls.joinRoom('r1', 'webrtc');
    await settle();
    await calls.prejoin()?.choose('audioinput', 'mic-2');
    expect(asked.at(-1)?.audioInputId).toBe('mic-2');
    expect(rememberedDevices()).toEqual({ audioInputId: 'mic-2' });
    await calls.joinFromPrejoin();
    await settle();
    expect(host.opened?.media.audioInputId).toBe('mic-2');
  });

  it('providers whose client half gets no media, and joins without a provider, skip the check', async () => {
    await calls.joinRoom('r1');
    await settle();
    expect(calls.prejoin()).toBeNull();
    expect(names(host)).toContain('call.room.join');
  });
});

describe('remembered devices', () => {
  it('keeps only short string ids; anything else reads as the defaults', () => {
    rememberDevices({ audioInputId: 'a', videoInputId: 'v' });
    expect(rememberedDevices()).toEqual({ audioInputId: 'a', videoInputId: 'v' });
    localStorage.setItem(
      'parley.devices',
      JSON.stringify({ audioInputId: 3, audioOutputId: 'x'.repeat(300) }),
    );
    expect(rememberedDevices()).toEqual({});
    localStorage.setItem('parley.devices', '{not json');
    expect(rememberedDevices()).toEqual({});
  });
});

describe('levelOf', () => {
  it('maps silence to 0, full scale to 1, a quiet voice in between', () => {
    expect(levelOf(new Float32Array(512))).toBe(0);
    expect(levelOf(new Float32Array(512).fill(1))).toBe(1);
    const quiet = levelOf(new Float32Array(512).fill(0.01)); // -40 dB
    expect(quiet).toBeCloseTo(1 / 3, 2);
  });
});
