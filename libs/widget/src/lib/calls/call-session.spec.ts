import { directCall, FakeHost, setUpCallService, settle, user } from '../../testing/fake-widget-host';
import type { CallService } from './call.service';
import { CallSession } from './call-session';
import { GroupSession } from './group-session';

/** The session handle: one per call, closing itself after its end message (end messages last 50 ms here). */
describe('CallSession: one handle per call, closing itself', () => {
  let host: FakeHost;
  let calls: CallService;

  afterEach(() => jest.useRealTimers());

  beforeEach(() => {
    ({ host, calls } = setUpCallService());
    host.users.set(new Map([...host.users(), ['bob', user('bob', 'Bob Nguyen')]]));
    host.answers.set('call.start', () => directCall());
  });

  it('a one-to-one call gets a CallSession, a room call a GroupSession', async () => {
    await calls.start({ kind: 'user', userId: 'bob' }, 'webrtc');
    const direct = calls.current();
    expect(direct).toBeInstanceOf(CallSession);
    expect(direct).not.toBeInstanceOf(GroupSession);
    expect(calls.group()).toBeNull();
    await calls.hangup();
    calls.dismiss();
    expect(calls.current()).toBeNull();
  });

  it('after the end message the window closes by itself; a later session is not closed by the old one', async () => {
    jest.useFakeTimers();
    await calls.start({ kind: 'user', userId: 'bob' }, 'webrtc');
    const first = calls.current();
    host.push('call.updated', directCall({ state: 'ended', outcome: 'declined', endedAt: 'x' }));
    expect(first?.live).toBe(false);
    expect(calls.session()?.endMessage).toBe('Bob Nguyen declined the call');
    // A new call right away replaces the ended one; the old one's close timer must not end it.
    host.answers.set('call.start', () => directCall({ id: 'c2' }));
    await calls.start({ kind: 'user', userId: 'bob' }, 'webrtc');
    const second = calls.current();
    expect(second).not.toBe(first);
    await jest.advanceTimersByTimeAsync(60);
    expect(calls.current()).toBe(second);
    expect(calls.session()?.phase).toBe('ringing');

    await calls.hangup();
    expect(calls.session()?.endMessage).toBe('Call cancelled');
    await jest.advanceTimersByTimeAsync(60);
    expect(calls.current()).toBeNull();
    jest.useRealTimers();
  });

  it('pushes of another call, and answers that come after the end, change nothing', async () => {
    await calls.start({ kind: 'user', userId: 'bob' }, 'webrtc');
    host.push('call.updated', directCall({ id: 'other', state: 'ended', outcome: 'declined' }));
    expect(calls.session()?.phase).toBe('ringing');
    await calls.hangup();
    const ended = calls.session();
    host.push('call.updated', directCall({ state: 'active', answeredAt: 'x' }));
    await settle();
    expect(calls.session()).toBe(ended);
    expect(host.requests.map((r) => r.name)).not.toContain('call.join');
  });
});
