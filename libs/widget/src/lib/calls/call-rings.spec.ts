import { TestBed } from '@angular/core/testing';
import { DEFAULT_WIDGET_CONFIG, PARLEY_WIDGET_CONFIG } from '../config/widget-config';
import { ParleyWidgetHost } from '../host/widget-host';
import { SoundPlayer } from '../sounds/sound-player';
import { directCall, FakeHost, groupCall, user } from '../../testing/fake-widget-host';
import { CallRings } from './call-rings';

describe('CallRings: what rings in a tab', () => {
  let host: FakeHost;
  let rings: CallRings;
  let playing: () => boolean;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        { provide: ParleyWidgetHost, useClass: FakeHost },
        { provide: PARLEY_WIDGET_CONFIG, useValue: { ...DEFAULT_WIDGET_CONFIG, missedNoticeMs: 0 } },
      ],
    });
    host = TestBed.inject(ParleyWidgetHost) as FakeHost;
    rings = TestBed.inject(CallRings);
    const sounds = TestBed.inject(SoundPlayer);
    playing = () => sounds.playing().has('ringtone');
  });

  const incoming = (id: string) =>
    host.pushes.next({
      name: 'call.incoming',
      data: { call: directCall({ id, callerId: 'bob' }), caller: user('bob', 'Bob Nguyen') },
    });

  it('one toast per call, the ringtone until the last one stops', () => {
    incoming('c1');
    incoming('c1');
    incoming('c2');
    expect(rings.rings().map((r) => r.call.id)).toEqual(['c1', 'c2']);
    expect(playing()).toBe(true);
    host.pushes.next({ name: 'call.ring.stop', data: { callId: 'c1', reason: 'declined_elsewhere' } });
    expect(playing()).toBe(true);
    // Answered in another tab: the call is no longer ringing.
    host.pushes.next({ name: 'call.updated', data: directCall({ id: 'c2', state: 'active' }) });
    expect(rings.rings()).toEqual([]);
    expect(playing()).toBe(false);
  });

  it('a missed call stops its ring and leaves one notice until dismissed', () => {
    incoming('c1');
    const missed = { call: directCall({ id: 'c1', state: 'ended' }), caller: user('bob', 'Bob Nguyen') };
    host.pushes.next({ name: 'call.missed', data: missed });
    host.pushes.next({ name: 'call.missed', data: missed });
    expect(rings.rings()).toEqual([]);
    expect(rings.missed().map((m) => m.call.id)).toEqual(['c1']);
    rings.dismissMissed('c1');
    expect(rings.missed()).toEqual([]);
  });

  it('a group call started in my messages by someone else rings until it ends', () => {
    const started = (startedBy: string) => ({
      name: 'call.room.started',
      data: { roomId: 'r1', call: groupCall(), startedBy: user(startedBy, startedBy), ring: true },
    });
    host.pushes.next(started('me'));
    expect(rings.groupRings()).toEqual([]);
    host.pushes.next(started('host'));
    expect(rings.findGroupRing('g1')?.roomId).toBe('r1');
    host.pushes.next({
      name: 'call.room.updated',
      data: { roomId: 'r1', call: groupCall({ state: 'ended' }) },
    });
    expect(rings.groupRings()).toEqual([]);
  });
});
