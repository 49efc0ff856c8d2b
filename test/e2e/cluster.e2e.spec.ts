// Cluster mode end to end, through a real load balancer: a throwaway redis-server and PostgreSQL,
// three built Parley nodes on them (REDIS_URL, DATABASE_URL) and haproxy in front (round robin,
// sticky by cookie). alice, bob and carol sign in through haproxy in their own Chromium contexts,
// each landing on another node; they meet in Town Square's group call, which lives on alice's
// node (bob's and carol's call.* and webrtc.* requests are relayed to it over Redis, their media
// goes straight to its mediasoup), and each sends and receives audio and video (getStats).
import type { Browser } from 'playwright-core';
import { API, type RoomCallInfo } from '@parley/protocol';
import { inboundBytes, outboundBytes, until, type MediaBytes, type Person } from '../support/calls';
import {
  expectMediaFrom,
  groupPerson,
  launchChromiumForGroupCalls,
  leaveCalls,
  roomByTitle,
  startRoomCall,
} from '../support/group-calls';
import { NODE_COOKIE, startHaproxy, type TestHaproxy } from '../support/haproxy';
import { freePort, launchParley, type ParleyProcess } from '../support/parley-process';
import { startPostgres, type TestPostgres } from '../support/postgres';
import { startRedis, type TestRedis } from '../support/redis';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

/** Waits until the page's outbound audio and video bytes both grow: it sends media. */
async function expectSending(who: Person, timeoutMs: number): Promise<MediaBytes> {
  const first = await outboundBytes(who.page);
  return until(
    () => outboundBytes(who.page),
    (now) => now.audio > first.audio && now.video > first.video,
    timeoutMs,
    `${who.user.username}: outbound audio and video growing`,
  );
}

describe('cluster mode in Chromium: three nodes behind haproxy', () => {
  let redis: TestRedis | undefined;
  let postgres: TestPostgres | undefined;
  let haproxy: TestHaproxy | undefined;
  let browser: Browser | undefined;
  const nodes: ParleyProcess[] = [];
  const people: Person[] = [];

  beforeAll(async () => {
    for (const file of ['dist/server/apps/server/src/main.js', 'dist/portal/browser/index.html']) {
      if (!existsSync(join(ROOT, file))) throw new Error(`${file} is missing: run \`./parley build\` first.`);
    }
    [redis, postgres] = await Promise.all([startRedis(), startPostgres('parley_cluster_e2e')]);
    // haproxy's address is the one browsers use: every node's PUBLIC_URL, so its Origin passes.
    const lbPort = await freePort();
    const publicUrl = `http://127.0.0.1:${lbPort}`;
    const env = {
      DATABASE_URL: postgres.url,
      REDIS_URL: redis.url,
      // The same on every node: a session signed on one is valid on all, secrets open everywhere.
      SESSION_SECRET: 'cluster-e2e-session-secret-0123456789',
      SECRETS_KEY: 'cd'.repeat(32),
      MEDIASOUP_WORKERS: '1',
      WEBRTC_RTC_PORT: '0',
      PROVIDER_HEALTH_INTERVAL_SECONDS: '0',
      PUBLIC_URL: publicUrl,
    };
    // All three at once on an empty database: migrations and the demo seed run under the
    // start-up lock, one node after the other.
    nodes.push(
      ...(await Promise.all(
        [1, 2, 3].map(() => launchParley({ root: ROOT, env, tmpPrefix: 'parley-cluster-e2e-' })),
      )),
    );
    haproxy = await startHaproxy(
      nodes.map((node) => node.url),
      lbPort,
    );
    browser = await launchChromiumForGroupCalls();
    // One after the other: each fresh context's first request (no cookie yet) goes to the next
    // node in the round, and the cookie haproxy sets keeps the context there.
    for (const username of ['alice', 'bob', 'carol']) {
      people.push(await groupPerson(browser, haproxy.url, username));
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await haproxy?.stop();
    await Promise.allSettled(nodes.map((node) => node.stop()));
    await Promise.allSettled([redis?.stop(), postgres?.stop()]);
  });

  it('three users on three nodes in one group call: media both ways for each, then it ends', async () => {
    const [alice, bob, carol] = people;
    // Each person's browser is pinned to another node.
    const pinned = await Promise.all(
      people.map(
        async (who) => (await who.context.cookies()).find((cookie) => cookie.name === NODE_COOKIE)?.value,
      ),
    );
    expect([...pinned].sort()).toEqual(haproxy?.cookies);

    const square = await roomByTitle(alice.context, 'Town Square');
    // alice starts it from the room header (the call lives on her node), bob and carol join from
    // the banner; alice receives both.
    await startRoomCall(people, square);
    await Promise.all(
      people.map((who) =>
        expectMediaFrom(
          who.page,
          people.filter((other) => other !== who).map((other) => other.user.id),
          ['audio', 'video'],
          45_000,
        ),
      ),
    );
    await Promise.all(people.map((who) => expectSending(who, 30_000)));
    const figures = await Promise.all(
      people.map(async (who, n) => ({
        user: who.user.username,
        node: pinned[n],
        inbound: await inboundBytes(who.page),
        outbound: await outboundBytes(who.page),
      })),
    );
    console.log(`[cluster e2e] bytes per user: ${JSON.stringify(figures)}`);

    // Everyone hangs up (the last one out ends the call); the room has no call on any node.
    await leaveCalls([bob, carol, alice]);
    for (const who of people) {
      await who.page.getByTestId('call-banner').waitFor({ state: 'detached', timeout: 15_000 });
      const info = (await (await who.context.request.get(API.roomCall(square.id))).json()) as RoomCallInfo;
      expect(info.call).toBeNull();
    }
  }, 150_000);
});
