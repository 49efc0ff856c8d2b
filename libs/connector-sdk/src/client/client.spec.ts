/**
 * @jest-environment jsdom
 */
import type { ClientCall, ClientContext, ClientEvent, ParleyClientCall } from '../lib/client';
import {
  assertWebrtc,
  callExtras,
  createOneToOneStage,
  mediaConnector,
  requireContext,
  startView,
} from './index';

describe('@parley/connector-sdk/client', () => {
  it('builds the one-to-one stage with the prefix, test ids and styles', () => {
    const container = document.createElement('div');
    const remote = { id: 'remote' } as unknown as MediaStream;
    const audio = { id: 'audio' } as unknown as MediaStream;
    const stage = createOneToOneStage(container, 'parley-test', remote, audio);

    expect(container.children).toHaveLength(1);
    expect(stage.root.parentElement).toBe(container);
    expect(stage.root.className).toBe('parley-test');
    expect(stage.root.style.position).toBe('absolute');
    expect([...stage.root.children]).toEqual([stage.remoteVideo, stage.remoteAudio, stage.selfView]);

    expect(stage.remoteVideo.className).toBe('parley-test-remote');
    expect(stage.remoteVideo.dataset['testid']).toBe('remote-video');
    expect(stage.remoteVideo.muted).toBe(true);
    expect(stage.remoteVideo.autoplay).toBe(true);
    expect(stage.remoteVideo.srcObject).toBe(remote);

    expect(stage.remoteAudio.className).toBe('parley-test-audio');
    expect(stage.remoteAudio.dataset['testid']).toBe('remote-audio');
    expect(stage.remoteAudio.style.display).toBe('none');
    expect(stage.remoteAudio.srcObject).toBe(audio);

    expect(stage.selfView.className).toBe('parley-test-self');
    expect(stage.selfView.dataset['testid']).toBe('self-view');
    expect(stage.selfView.muted).toBe(true);
    expect(stage.selfView.style.transform).toBe('scaleX(-1)');
    expect(stage.selfView.style.right).toBe('12px');
  });

  it('refuses a context without user or provider', () => {
    expect(() => requireContext({} as ClientContext)).toThrow('the widget gave no user or provider');
    const ctx = { user: { id: 'u1' }, provider: { type: 'x' } } as unknown as ClientContext;
    expect(requireContext(ctx)).toBe(ctx);
  });

  it('closes a view whose start fails, and rethrows', async () => {
    const close = jest.fn();
    const failing = { start: () => Promise.reject(new Error('no gateway')), close };
    await expect(startView(failing)).rejects.toThrow('no gateway');
    expect(close).toHaveBeenCalledTimes(1);
    const good = { start: () => Promise.resolve(), close: jest.fn() };
    await expect(startView(good)).resolves.toBe(good);
    expect(good.close).not.toHaveBeenCalled();
  });

  it('says when the browser cannot make WebRTC calls', () => {
    expect(() => assertWebrtc()).toThrow('cannot make WebRTC calls');
  });

  it("gives the widget's call extras, with defaults for a bare ClientCall", () => {
    const bare: ClientCall = { id: 'c1', target: { kind: 'user', userId: 'u2' }, title: 'Bob', joinInfo: {} };
    const emitted: ClientEvent[] = [];
    const defaults = callExtras(bare, (event) => emitted.push(event));
    expect(defaults).toMatchObject({
      signaling: null,
      media: { micEnabled: true, cameraEnabled: true },
      localStream: null,
    });
    defaults.report({ type: 'joined' });
    expect(emitted).toEqual([{ type: 'joined' }]);

    const report = jest.fn();
    const signaling = { request: jest.fn(), on: jest.fn() };
    const full: ParleyClientCall = {
      ...bare,
      signaling,
      media: { micEnabled: false, cameraEnabled: true },
      localStream: null,
      report,
      selfId: 'u1',
      nameOf: () => 'Alice',
    };
    const extras = callExtras(full, () => undefined);
    expect(extras.signaling).toBe(signaling);
    expect(extras.media).toEqual({ micEnabled: false, cameraEnabled: true });
    expect(extras.selfId).toBe('u1');
    extras.report({ type: 'speaker', dominant: 'u2', speaking: ['u2'] });
    expect(report).toHaveBeenCalledWith({ type: 'speaker', dominant: 'u2', speaking: ['u2'] });
  });

  it('plays remote tracks on the one-to-one stage and clears it on close', () => {
    const container = document.createElement('div');
    const added: MediaStreamTrack[] = [];
    const removed: MediaStreamTrack[] = [];
    const stream = (tracks: MediaStreamTrack[]) =>
      ({
        addTrack: (t: MediaStreamTrack) => added.push(t),
        removeTrack: (t: MediaStreamTrack) => removed.push(t),
        getTracks: () => tracks,
      }) as unknown as MediaStream;
    const stop = jest.fn();
    const remote = stream([{ stop } as unknown as MediaStreamTrack]);
    const audio = stream([]);
    const stage = createOneToOneStage(container, 'p', remote, audio);
    jest.spyOn(stage.remoteVideo, 'play').mockResolvedValue(undefined);
    jest.spyOn(stage.remoteAudio, 'play').mockResolvedValue(undefined);
    const video = { kind: 'video' } as MediaStreamTrack;
    stage.addRemote(video);
    stage.addRemote({ kind: 'audio' } as MediaStreamTrack);
    expect(added).toHaveLength(2);
    expect(stage.remoteVideo.srcObject).toBe(remote);
    stage.removeRemote(video);
    expect(removed).toEqual([video, video]);
    stage.hideSelf(true);
    expect(stage.selfView.style.visibility).toBe('hidden');
    stage.close();
    expect(stop).toHaveBeenCalled();
    expect(stage.remoteVideo.srcObject).toBeNull();
    expect(container.children).toHaveLength(0);
  });

  it('builds a media connector: canCall false until a good init, then by its rule', () => {
    const connector = mediaConnector({
      canCall: (target, context) => target.kind === 'user' && target.userId !== context.user.id,
      view: () => ({ start: () => Promise.resolve(), close: jest.fn() }),
    });
    const bob = { kind: 'user', userId: 'u2' } as const;
    expect(connector.canCall(bob)).toBe(false);
    expect(() => connector.init({} as ClientContext)).toThrow();
    expect(connector.canCall(bob)).toBe(false);
    connector.init({ user: { id: 'u1' }, provider: { type: 'x' } } as unknown as ClientContext);
    expect(connector.canCall(bob)).toBe(true);
    expect(connector.canCall({ kind: 'user', userId: 'u1' })).toBe(false);
    expect(() => connector.prepareMedia({ micEnabled: true, cameraEnabled: true })).toThrow('WebRTC');
  });
});
