import type { InitialMediaState } from '../host/connector-types';
import {
  directCall,
  FakeHost,
  participant,
  setUpCallService,
  settle,
  user,
} from '../../testing/fake-widget-host';
import type { CallService } from './call.service';
import { grantMedia } from './media-access.spec-helpers';

/** A camera that starts when the test says so (on a loaded machine it can take seconds). */
function slowCamera(host: FakeHost): { ready(): void } {
  let release: (stream: MediaStream) => void = () => undefined;
  const stream = { getTracks: () => [] } as unknown as MediaStream;
  Object.assign(host.fakeConnector, {
    prepareMedia: (media: InitialMediaState) => {
      void media;
      return new Promise<MediaStream>((resolve) => (release = resolve));
    },
  });
  return { ready: () => release(stream) };
}

describe('CallService: one-to-one calls, events in any order', () => {
  let host: FakeHost;
  let calls: CallService;

  beforeEach(() => {
    // Camera and microphone already granted: the camera and the server start in parallel.
    grantMedia('granted');
    ({ host, calls } = setUpCallService());
    host.users.set(new Map([...host.users(), ['bob', user('bob', 'Bob Nguyen')]]));
    host.answers.set('call.start', () => directCall());
  });

  it('rings once the server answered and the camera is ready', async () => {
    const camera = slowCamera(host);
    const placing = calls.start({ kind: 'user', userId: 'bob' }, 'webrtc');
    await settle();
    expect(calls.session()?.phase).toBe('starting');
    camera.ready();
    await placing;
    expect(calls.session()?.phase).toBe('ringing');
  });

  it('a decline that arrives while the camera is still starting ends the call, naming the callee', async () => {
    const camera = slowCamera(host);
    const placing = calls.start({ kind: 'user', userId: 'bob' }, 'webrtc');
    await settle();
    host.push('call.updated', directCall({ state: 'ended', outcome: 'declined', endedAt: 'x' }));
    expect(calls.session()?.phase).toBe('ended');
    expect(calls.session()?.endMessage).toBe('Bob Nguyen declined the call');

    camera.ready();
    await placing;
    expect(calls.session()?.phase).toBe('ended');
    // The server ended it: nothing to cancel.
    expect(host.requests.map((r) => r.name)).not.toContain('call.cancel');
  });

  it('an answer that arrives while the camera is still starting joins once the camera is ready', async () => {
    const camera = slowCamera(host);
    host.answers.set('call.join', () => ({
      call: directCall({
        state: 'active',
        answeredAt: 'x',
        participants: [participant('me'), participant('bob')],
      }),
      joinInfo: {},
    }));
    const placing = calls.start({ kind: 'user', userId: 'bob' }, 'webrtc');
    await settle();
    host.push(
      'call.updated',
      directCall({ state: 'active', answeredAt: 'x', participants: [participant('me'), participant('bob')] }),
    );
    camera.ready();
    await placing;
    await settle();
    expect(host.requests.filter((r) => r.name === 'call.join')).toHaveLength(1);
    expect(calls.session()?.phase).toBe('active');
  });

  it('hanging up before the server answered cancels the call once it is known', async () => {
    const camera = slowCamera(host);
    const placing = calls.start({ kind: 'user', userId: 'bob' }, 'webrtc');
    await settle();
    await calls.hangup();
    camera.ready();
    await placing;
    await settle();
    expect(calls.session()?.phase ?? 'ended').toBe('ended');
    expect(host.requests.map((r) => r.name)).toContain('call.cancel');
  });
});
