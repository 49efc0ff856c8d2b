import { TestBed } from '@angular/core/testing';
import type { IceServerTest } from '@parley/protocol';
import { IceTester, PEER_CONNECTION_FACTORY } from './ice-tester';

/** A scripted stand-in for RTCPeerConnection: the test decides which candidates and errors arrive. */
class FakePeerConnection extends EventTarget {
  static last: FakePeerConnection | null = null;
  readonly channels: string[] = [];
  closed = false;
  constructor(readonly config: RTCConfiguration) {
    super();
    FakePeerConnection.last = this;
  }
  createDataChannel(label: string): void {
    this.channels.push(label);
  }
  async createOffer(): Promise<RTCSessionDescriptionInit> {
    return { type: 'offer', sdp: 'v=0' };
  }
  async setLocalDescription(): Promise<void> {
    // gathering starts; the test fires candidates
  }
  close(): void {
    this.closed = true;
  }
  candidate(type: string | null): void {
    const event = new Event('icecandidate') as Event & { candidate: unknown };
    event.candidate = type ? { type, candidate: `candidate:1 1 udp 1 127.0.0.1 5000 typ ${type}` } : null;
    this.dispatchEvent(event);
  }
  error(errorCode: number, errorText: string): void {
    this.dispatchEvent(Object.assign(new Event('icecandidateerror'), { errorCode, errorText }));
  }
}

const turnTest: IceServerTest = {
  iceServer: { urls: ['turn:127.0.0.1:3478?transport=udp'], username: '1:u1', credential: 'c' },
  iceTransportPolicy: 'relay',
  expect: 'relay',
  expiresAt: null,
};

describe('IceTester', () => {
  let tester: IceTester;
  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        {
          provide: PEER_CONNECTION_FACTORY,
          useValue: (config: RTCConfiguration) => new FakePeerConnection(config),
        },
      ],
    });
    tester = TestBed.inject(IceTester);
  });

  const started = async () => {
    for (let i = 0; i < 3; i++) await Promise.resolve();
    return FakePeerConnection.last as FakePeerConnection;
  };

  it('gathers against that one server only and succeeds at the first expected candidate', async () => {
    const run = tester.run(turnTest);
    const pc = await started();
    expect(pc.config).toEqual({ iceServers: [turnTest.iceServer], iceTransportPolicy: 'relay' });
    expect(pc.channels).toEqual(['parley-ice-test']);
    pc.candidate('host');
    pc.candidate('relay');
    const result = await run;
    expect(result).toEqual(
      expect.objectContaining({
        ok: true,
        expected: 'relay',
        candidateTypes: ['host', 'relay'],
        error: null,
      }),
    );
    expect(result.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(pc.closed).toBe(true);
  });

  it('fails with the browser ICE errors when gathering ends without the expected candidate', async () => {
    const run = tester.run(turnTest);
    const pc = await started();
    pc.error(401, 'Unauthorized');
    pc.error(401, 'Unauthorized');
    pc.candidate(null);
    const result = await run;
    expect(result.ok).toBe(false);
    expect(result.error).toBe('Gathering finished without a relay candidate: 401 Unauthorized');
    expect(pc.closed).toBe(true);
  });

  it('gives up after the time limit', async () => {
    const run = tester.run({ ...turnTest, expect: 'srflx', iceTransportPolicy: 'all' }, 20);
    const pc = await started();
    pc.candidate('host');
    const result = await run;
    expect(result).toEqual(expect.objectContaining({ ok: false, candidateTypes: ['host'] }));
    expect(result.error).toMatch(/No srflx candidate within/);
  });
});
