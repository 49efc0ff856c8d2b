/** The real server on a throwaway PostgreSQL: migrations, seed, sign-in and a room round trip. */
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ChatMessage, HealthResponse, RoomSummary, SessionResponse } from '@parley/protocol';
import { API } from '@parley/protocol';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres, type TestPostgres } from '@parley/test-support/postgres';
import { loadConfig } from './config';
import { createApp } from './create-app';

describe('Parley server on PostgreSQL', () => {
  let pg: TestPostgres;
  let dir: string;
  let app: NestExpressApplication;
  let base: string;

  beforeAll(async () => {
    pg = await startPostgres();
    dir = mkdtempSync(join(tmpdir(), 'parley-app-pg-'));
    const config = loadConfig(
      {
        DATABASE_URL: pg.url,
        DATA_DIR: dir,
        LOG_LEVEL: 'silent',
        SESSION_SECRET: 'postgres-spec-session-secret',
      },
      dir,
    );
    app = await createApp(config);
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('migrates, seeds and serves the directory', async () => {
    const health = (await (await fetch(base + API.health)).json()) as HealthResponse;
    expect(health).toMatchObject({
      status: 'ok',
      checks: { database: { status: 'up', detail: 'postgres' } },
    });

    const login = await fetch(base + API.login, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'dave', password: 'parley' }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as SessionResponse;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

    const rooms = (await (await fetch(base + API.rooms, { headers })).json()) as RoomSummary[];
    const crew = rooms.find((r) => r.name === 'release-crew');
    expect(crew).toMatchObject({ kind: 'group', memberIds: expect.any(Array) });
    if (!crew) return;
    const sent = await fetch(base + API.roomMessages(crew.id), {
      method: 'POST',
      headers,
      body: JSON.stringify({ body: 'postgres works' }),
    });
    expect(sent.status).toBe(201);
    const messages = (await (
      await fetch(base + API.roomMessages(crew.id), { headers })
    ).json()) as ChatMessage[];
    expect(messages[0].body).toBe('postgres works');
  });
});
