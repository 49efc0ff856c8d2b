// A one-to-one call forced through TURN: a real coturn (TURN REST, `use-auth-secret`) on 127.0.0.1,
// configured through the admin API (every other ICE entry disabled, transport policy `relay`). Both
// browsers may only use relay candidates; mediasoup is ICE-lite on 127.0.0.1, so every media path
// goes browser -> coturn -> mediasoup over loopback. Checked with getStats: media grows both ways and
// every selected candidate pair has a local `relay` candidate.
import type { Browser } from 'playwright-core';
import { API, type AdminIceServer, type AdminIceSettings, type IceConfig } from '@parley/protocol';
import { launchChromium } from '../support/browser';
import {
  callFromPopover,
  expectMediaFlowing,
  livePeerConnections,
  person,
  selectedCandidatePairs,
  until,
  type Person,
  type SelectedPair,
} from '../support/calls';
import { startCoturn, type TestCoturn } from '../support/coturn';
import { waitForActiveCall } from '../support/group-calls';
import { startParley, type TestServer } from '../support/parley-server';

const TURN_SECRET = 'e2e-relay-shared-secret';

describe('calls: media relayed through TURN (iceTransportPolicy relay)', () => {
  let server: TestServer;
  let coturn: TestCoturn;
  let browser: Browser;
  let alice: Person;
  let bob: Person;

  beforeAll(async () => {
    [server, coturn] = await Promise.all([startParley(), startCoturn(TURN_SECRET)]);
    browser = await launchChromium();
    alice = await person(browser, server.url, 'alice');
    bob = await person(browser, server.url, 'bob');
    const res = await bob.context.request.post(API.posts, { data: { body: `Relay me ${Date.now()}` } });
    expect(res.ok()).toBe(true);
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([server?.stop(), coturn?.stop()]);
  });

  it('the admin sets a coturn with TURN REST credentials and policy relay (other entries off)', async () => {
    const api = alice.context.request;
    // mediasoup on 127.0.0.1, where coturn relays from (relay-ip=127.0.0.1). Left to itself it would
    // listen on 0.0.0.0 and announce the first non-loopback address (tools/netns.sh has a veth pair,
    // 198.18.0.2): its ICE answers then leave from 127.0.0.1, an address coturn holds no permission
    // for, and connectivity checks get no answer.
    const webrtc = await api.put(API.adminProvider('webrtc'), {
      data: { settings: { listenIp: '127.0.0.1', announcedAddress: '127.0.0.1', rtcPort: 0 } },
    });
    expect(webrtc.status()).toBe(200);
    const before = (await (await api.get(API.adminIceServers)).json()) as AdminIceSettings;
    for (const other of before.servers.filter((s) => s.enabled)) {
      const res = await api.put(API.adminIceServer(other.id), { data: { enabled: false } });
      expect(res.status()).toBe(200);
    }
    const created = await api.post(API.adminIceServers, {
      data: {
        label: 'Loopback coturn',
        urls: [coturn.url],
        credentialType: 'rest',
        sharedSecret: TURN_SECRET,
        ttlSeconds: 600,
        enabled: true,
      },
    });
    expect(created.status()).toBe(201);
    const turn = (await created.json()) as AdminIceServer;
    const policy = await api.put(API.adminIceServers, { data: { iceTransportPolicy: 'relay' } });
    expect(policy.status()).toBe(200);

    const after = (await (await api.get(API.adminIceServers)).json()) as AdminIceSettings;
    expect(after.iceTransportPolicy).toBe('relay');
    expect(after.servers.filter((s) => s.enabled).map((s) => s.id)).toEqual([turn.id]);

    // What a user's browser gets: only the coturn, with minted credentials (never the secret).
    const config = (await (await bob.context.request.get(API.iceConfig)).json()) as IceConfig;
    expect(config.iceTransportPolicy).toBe('relay');
    expect(config.iceServers).toEqual([
      { urls: [coturn.url], username: expect.stringContaining(bob.user.id), credential: expect.any(String) },
    ]);
    expect(JSON.stringify(config)).not.toContain(TURN_SECRET);
  });

  it('A calls B: media flows both ways and every selected candidate pair is relay', async () => {
    await callFromPopover(alice.page, bob.user);
    const toast = bob.page.getByTestId('incoming-call');
    await toast.waitFor({ timeout: 10_000 });
    await toast.getByTestId('incoming-call-answer').click();

    const seen: Record<string, SelectedPair[]> = {};
    for (const who of [alice, bob]) {
      await waitForActiveCall(who.page, who.user.username);
      // Growing inbound audio and video on this side (the other side's send path works too).
      await expectMediaFlowing(who.page, 30_000);
      // A send and a receive transport, each one RTCPeerConnection, each with a selected pair.
      const pairs = await until(
        () => selectedCandidatePairs(who.page),
        (list) => list.length === 2,
        15_000,
        `${who.user.username}: a selected candidate pair on both transports`,
      );
      seen[who.user.username] = pairs;
      const pair = { local: 'relay', remote: 'host', url: coturn.url, remoteAddress: '127.0.0.1' };
      expect(pairs).toEqual([expect.objectContaining(pair), expect.objectContaining(pair)]);
    }
    console.log(`selected candidate pairs (local/remote): ${JSON.stringify(seen)}`);

    await alice.page.getByTestId('call-hangup').click();
    for (const who of [alice, bob]) {
      await who.page.getByTestId('call-window').waitFor({ state: 'detached', timeout: 15_000 });
      await until(
        () => livePeerConnections(who.page),
        (n) => n === 0,
        10_000,
        'peer connections closed',
      );
    }
  });
});
