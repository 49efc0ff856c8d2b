/**
 * @jest-environment jsdom
 */
import type { ClientContext } from '../lib/client';
import { assertWebrtc, createOneToOneStage, requireContext, startView } from './index';

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
});
