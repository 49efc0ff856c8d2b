import { Injectable, InjectionToken, inject } from '@angular/core';
import type { IceServerTest } from '@parley/protocol';

/** Creates the peer connection of a test; overridden in unit tests (jsdom has no WebRTC). */
export const PEER_CONNECTION_FACTORY = new InjectionToken<(config: RTCConfiguration) => RTCPeerConnection>(
  'PEER_CONNECTION_FACTORY',
  { providedIn: 'root', factory: () => (config: RTCConfiguration) => new RTCPeerConnection(config) },
);

export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay';

/** What a Test found. */
export interface IceTestResult {
  ok: boolean;
  /** What a working server yields (`srflx` for STUN, `relay` for TURN). */
  expected: 'srflx' | 'relay';
  /** Milliseconds until the expected candidate arrived (ok), or until the test gave up. */
  elapsedMs: number;
  /** Every candidate type gathered. */
  candidateTypes: CandidateType[];
  /** Why it failed, in words (`null` when ok). */
  error: string | null;
}

/**
 * Tests one ICE server from the admin's browser: a peer connection with only that server (and
 * `iceTransportPolicy: relay` for a TURN server, so only relay candidates are gathered), a data
 * channel and an offer to start gathering. Succeeds at the first candidate of the expected type
 * (`srflx` / `relay`); fails when gathering completes without one, or after `timeoutMs`, with the
 * ICE errors the browser reported (e.g. `401 Unauthorized` for a wrong TURN secret).
 */
@Injectable({ providedIn: 'root' })
export class IceTester {
  private readonly createPeerConnection = inject(PEER_CONNECTION_FACTORY);

  async run(test: IceServerTest, timeoutMs = 10_000): Promise<IceTestResult> {
    const started = performance.now();
    const types = new Set<CandidateType>();
    const errors: string[] = [];
    let pc: RTCPeerConnection;
    try {
      pc = this.createPeerConnection({
        iceServers: [test.iceServer],
        iceTransportPolicy: test.iceTransportPolicy,
      });
    } catch (err) {
      return this.result(test, started, types, `The browser refused the server: ${messageOf(err)}`);
    }
    try {
      return await new Promise<IceTestResult>((resolve) => {
        const finish = (error: string | null) => {
          clearTimeout(timer);
          resolve(this.result(test, started, types, error));
        };
        const failure = (what: string) =>
          `${what}${errors.length ? `: ${[...new Set(errors)].join('; ')}` : ''}`;
        const timer = setTimeout(
          () => finish(failure(`No ${test.expect} candidate within ${Math.round(timeoutMs / 1000)} s`)),
          timeoutMs,
        );
        pc.addEventListener('icecandidate', (event: RTCPeerConnectionIceEvent) => {
          if (!event.candidate) {
            finish(
              types.has(test.expect)
                ? null
                : failure(`Gathering finished without a ${test.expect} candidate`),
            );
            return;
          }
          const type = candidateType(event.candidate);
          if (type) types.add(type);
          if (type === test.expect) finish(null);
        });
        pc.addEventListener('icecandidateerror', (event: Event) => {
          const error = event as RTCPeerConnectionIceErrorEvent;
          errors.push(`${error.errorCode} ${error.errorText}`.trim());
        });
        pc.createDataChannel('parley-ice-test');
        pc.createOffer()
          .then((offer) => pc.setLocalDescription(offer))
          .catch((err: unknown) => finish(`Could not start gathering: ${messageOf(err)}`));
      });
    } finally {
      pc.close();
    }
  }

  private result(
    test: IceServerTest,
    started: number,
    types: Set<CandidateType>,
    error: string | null,
  ): IceTestResult {
    return {
      ok: error === null,
      expected: test.expect,
      elapsedMs: Math.round(performance.now() - started),
      candidateTypes: [...types],
      error,
    };
  }
}

function candidateType(candidate: RTCIceCandidate): CandidateType | null {
  const type = candidate.type ?? / typ (host|srflx|prflx|relay)/.exec(candidate.candidate)?.[1] ?? null;
  return type === 'host' || type === 'srflx' || type === 'prflx' || type === 'relay' ? type : null;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
