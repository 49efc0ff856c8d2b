import type { ProviderDescriptor } from '@parley/protocol';
import {
  FakeHost,
  groupCall,
  participant,
  setUpCallService,
  settle,
  user,
} from '../../testing/fake-widget-host';
import type { CallService } from './call.service';

describe('CallService: group calls', () => {
  let host: FakeHost;
  let calls: CallService;

  beforeEach(() => {
    ({ host, calls } = setUpCallService());
    host.answers.set('call.room.join', () => ({ call: groupCall(), joinInfo: {} }));
  });

  it('joins a room call: group session, tiles for the joined participants, not the host', async () => {
    await calls.joinRoom('r1');
    await settle();
    expect(host.requests.map((r) => r.name)).toContain('call.room.join');
    expect(calls.session()?.group).toBe(true);
    expect(calls.session()?.phase).toBe('active');
    expect(host.opened?.selfId).toBe('me');
    expect(host.opened?.nameOf?.('host')).toBe('Hana Host');
    expect(host.view.participants?.ids).toEqual(['host', 'me']);
    expect(calls.isModerator()).toBe(false);
    expect(calls.screenShareAllowed()).toBe(true);

    // A raised hand reaches the view and the own hand state.
    host.push('call.room.updated', {
      roomId: 'r1',
      call: groupCall({ participants: [participant('host'), participant('me', { handRaisedAt: 'x' })] }),
    });
    expect(host.view.participants?.hands).toEqual(['me']);
    expect(calls.handRaised()).toBe(true);
  });

  it('who speaks comes from the client half as a provider-neutral speaker event', async () => {
    await calls.joinRoom('r1');
    await settle();
    host.opened?.report({ type: 'speaker', dominant: 'host', speaking: ['host', 'me'] });
    expect(calls.activeSpeaker()).toBe('host');
    expect([...calls.speaking()]).toEqual(['host', 'me']);
    host.opened?.report({ type: 'speaker', speaking: [] });
    expect(calls.activeSpeaker()).toBe('host');
    expect(calls.speaking().size).toBe(0);
  });

  it('connection quality comes from the client half as a provider-neutral quality event', async () => {
    await calls.joinRoom('r1');
    await settle();
    expect(calls.uplinkQuality()).toBeNull();
    host.opened?.report({ type: 'quality', uplink: 'poor', participants: { host: 'fair' } });
    expect(calls.uplinkQuality()).toBe('poor');
    expect(calls.group()?.participantQuality()).toEqual({ host: 'fair' });
    host.opened?.report({ type: 'quality', participants: { host: 'good' } });
    expect(calls.uplinkQuality()).toBe('poor');
    await calls.hangup();
    expect(calls.uplinkQuality()).toBeNull();
  });

  it('shows the server refusal when the user may not join', async () => {
    host.answers.set('call.room.join', () => {
      throw new Error('You are not a member of this room');
    });
    await calls.joinRoom('r1');
    expect(calls.session()?.phase).toBe('ended');
    expect(calls.session()?.endMessage).toBe('You are not a member of this room');
  });

  it('host actions: a mute is applied locally, a removal ends the session with who did it', async () => {
    await calls.joinRoom('r1');
    await settle();
    host.push('call.moderated', { callId: 'g1', action: 'muted', byUserId: 'host' });
    await settle();
    expect(calls.muted()).toBe(true);
    expect(host.view.muted).toBe(true);
    expect(calls.notice()).toBe('Hana Host muted you.');
    expect(host.requests.some((r) => r.name === 'call.media')).toBe(true);

    host.push('call.moderated', { callId: 'g1', action: 'removed', byUserId: 'host' });
    await settle();
    expect(calls.session()?.phase).toBe('ended');
    expect(calls.session()?.endMessage).toBe('Hana Host removed you from the call');
    expect(host.view.closed).toBe(true);
  });

  it('reactions show with the sender name, then go', async () => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask'] });
    try {
      await calls.joinRoom('r1');
      for (let i = 0; i < 10; i++) await Promise.resolve();
      host.push('call.reaction', { callId: 'g1', userId: 'host', emoji: '🎉', at: 'now' });
      expect(calls.reactions()).toEqual([expect.objectContaining({ name: 'Hana Host', emoji: '🎉' })]);
      jest.advanceTimersByTime(6000);
      expect(calls.reactions()).toEqual([]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('after a socket reconnection: call.join again and the view rebuilds its media', async () => {
    await calls.joinRoom('r1');
    await settle();
    host.disconnectedSubject.next();
    expect(calls.reconnecting()).toBe(true);
    host.answers.set('call.join', () => ({ call: groupCall(), joinInfo: { routerRtpCapabilities: {} } }));
    host.connectedSubject.next();
    await settle();
    expect(host.requests.filter((r) => r.name === 'call.join')).toHaveLength(1);
    expect(host.view.rejoined).toBe(1);
    expect(calls.reconnecting()).toBe(false);
    expect(calls.session()?.phase).toBe('active');
  });

  it('host: end for all ends the own session with the server reason', async () => {
    host.answers.set('call.room.join', () => ({ call: groupCall({ hostId: 'me' }), joinInfo: {} }));
    host.answers.set('call.end', () => groupCall({ state: 'ended', endReason: 'ended by Me', hostId: 'me' }));
    await calls.joinRoom('r1');
    await settle();
    expect(calls.isModerator()).toBe(true);
    await calls.endForAll();
    expect(calls.session()?.endMessage).toBe('ended by Me');
  });

  it('the Record button is offered to the host only, and only when the provider records', async () => {
    host.answers.set('call.room.join', () => ({ call: groupCall({ hostId: 'me' }), joinInfo: {} }));
    const webrtc = (capabilities: ProviderDescriptor['capabilities']) =>
      ({ type: 'webrtc', capabilities }) as ProviderDescriptor;
    host.providers.set([webrtc(['audio', 'video'])]);
    await calls.joinRoom('r1');
    await settle();
    expect(calls.isModerator()).toBe(true);
    expect(calls.canRecord()).toBe(false);
    host.providers.set([webrtc(['audio', 'video', 'recording'])]);
    expect(calls.canRecord()).toBe(true);
    host.push('call.updated', groupCall({ hostId: 'host' }));
    expect(calls.canRecord()).toBe(false);
  });

  it('a slow recording start shows progress; a timeout shows the error with Try again, which asks once more', async () => {
    jest.useFakeTimers();
    try {
      host.answers.set('call.room.join', () => ({ call: groupCall({ hostId: 'me' }), joinInfo: {} }));
      await calls.joinRoom('r1');
      await jest.advanceTimersByTimeAsync(0);
      let fail: (err: Error) => void = () => undefined;
      host.answers.set('call.recording.start', () => new Promise((_, reject) => (fail = reject)));
      const pressed = calls.toggleRecording();
      await jest.advanceTimersByTimeAsync(1600);
      expect(calls.recordingPending()).toBe(true);
      expect(calls.recordingNotice()).toMatchObject({ kind: 'pending', message: 'Starting the recording…' });
      fail(
        new Error(
          'The server did not answer (call.recording.start) within 45 s. Check the connection and try again.',
        ),
      );
      await pressed;
      expect(calls.recordingPending()).toBe(false);
      expect(calls.recordingNotice()).toMatchObject({ kind: 'error', retry: 'start' });
      expect(calls.recordingNotice()?.message).toContain('did not answer');

      const recording = { startedAt: 'x', startedBy: 'me', endsAt: 'y' };
      host.answers.set('call.recording.start', () => groupCall({ hostId: 'me', recording }));
      await calls.retryRecording();
      expect(host.requests.filter((r) => r.name === 'call.recording.start')).toHaveLength(2);
      expect(calls.recording()).toEqual(recording);
      expect(calls.recordingNotice()).toBeNull();

      // A retry of a start that the server carried out meanwhile asks nothing more.
      host.answers.set('call.recording.stop', () => Promise.reject(new Error('No answer')));
      await calls.toggleRecording();
      host.push('call.updated', groupCall({ hostId: 'me', recording: null }));
      await calls.retryRecording();
      expect(host.requests.filter((r) => r.name === 'call.recording.stop')).toHaveLength(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('a call started in a group message offers a Join toast; joining opens the call, an end removes it', async () => {
    const started = {
      roomId: 'r1',
      call: groupCall(),
      startedBy: user('host', 'Hana Host'),
      ring: true,
    };
    host.push('call.room.started', { ...started, ring: false });
    expect(calls.groupRings()).toEqual([]);
    host.push('call.room.started', started);
    expect(calls.groupRings()).toEqual([expect.objectContaining({ roomId: 'r1' })]);
    await calls.joinGroupRing('g1');
    await settle();
    expect(calls.groupRings()).toEqual([]);
    expect(calls.session()?.phase).toBe('active');

    host.push('call.room.started', { ...started, call: groupCall({ id: 'g2' }) });
    host.push('call.room.updated', { roomId: 'r1', call: groupCall({ id: 'g2', state: 'ended' }) });
    expect(calls.groupRings()).toEqual([]);
  });
});
