import { TestBed } from '@angular/core/testing';
import { type CallInfo, diffCall } from '@parley/protocol';
import { ParleyWidgetHost } from '../host/widget-host';
import { FakeHost, groupCall, participant, settle } from '../../testing/fake-widget-host';
import { CallUpdates } from './call-updates';

describe('CallUpdates: whole snapshots from call.updated and call.delta', () => {
  let host: FakeHost;
  let seen: CallInfo[];

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [{ provide: ParleyWidgetHost, useClass: FakeHost }] });
    host = TestBed.inject(ParleyWidgetHost) as FakeHost;
    seen = [];
    TestBed.inject(CallUpdates).updated$.subscribe((call) => seen.push(call));
  });

  const v1 = () => groupCall({ version: 1 });
  const v2 = () => groupCall({ version: 2, participants: [...v1().participants, participant('carol')] });

  it('applies a delta to the snapshot it was made from', () => {
    host.push('call.updated', v1());
    host.push('call.delta', diffCall(v1(), v2())!);
    expect(seen).toEqual([v1(), v2()]);
  });

  it("asks for the user's calls again when a delta does not fit, once, and passes the answer on", async () => {
    let asked = 0;
    host.answers.set('call.current', () => {
      asked++;
      return [v2()];
    });
    // No snapshot of the call here (a tab opened after it started): two deltas, one request.
    host.push('call.delta', diffCall(v1(), v2())!);
    host.push('call.delta', diffCall(v1(), v2())!);
    await settle();
    expect(asked).toBe(1);
    expect(host.requests.filter((r) => r.name === 'call.current')).toEqual([
      { name: 'call.current', payload: {} },
    ]);
    expect(seen).toEqual([v2()]);
    // The next delta fits what was fetched.
    const v3 = groupCall({ ...v2(), version: 3, title: 'Standup' });
    host.push('call.delta', diffCall(v2(), v3)!);
    expect(seen.at(-1)?.title).toBe('Standup');
  });

  it('forgets an ended call: a late delta for it is not applied', async () => {
    host.push('call.updated', v1());
    host.push('call.ended', { call: groupCall({ version: 1, state: 'ended' }), reason: 'ended' });
    host.answers.set('call.current', () => []);
    host.push('call.delta', diffCall(v1(), v2())!);
    await settle();
    expect(seen).toEqual([v1()]);
  });
});
