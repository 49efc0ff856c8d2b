/**
 * The calls schema on SQLite and PostgreSQL: the migration, history written behind and read back
 * (own history, history with one user, limit), preferences, then reverting the migration.
 */
import { Test, type TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { startPostgres } from '@parley/test-support/postgres';
import { CallMachine } from './call-machine';
import { CallRepository, PreferenceRepository, RecordingRepository } from './repositories';
import { CALLS_ENTITIES, type RecordingEntity } from './entities';
import { CALLS_MIGRATIONS } from './migrations';
import { CallHistory } from './services/call-history.service';
import { LiveCalls } from './services/live-calls';
import { PreferencesService } from './services/preferences.service';

const TABLES = ['calls', 'call_participants', 'call_events', 'user_preferences', 'recordings'];

describe.each(['sqlite', 'postgres'] as const)('calls schema on %s', (driver) => {
  let module: TestingModule;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const common = { entities: CALLS_ENTITIES, migrations: CALLS_MIGRATIONS, synchronize: false } as const;
    let options: DataSourceOptions;
    if (driver === 'sqlite') {
      const dir = mkdtempSync(join(tmpdir(), 'parley-calls-sqlite-'));
      options = { type: 'better-sqlite3', database: join(dir, 'test.sqlite'), ...common };
      close = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      const pg = await startPostgres();
      options = { type: 'postgres', url: pg.url, ...common };
      close = () => pg.stop();
    }
    module = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot({ ...options, migrationsRun: true }),
        TypeOrmModule.forFeature(CALLS_ENTITIES),
      ],
      providers: [
        CallRepository,
        PreferenceRepository,
        RecordingRepository,
        CallHistory,
        PreferencesService,
        { provide: LiveCalls, useFactory: () => new LiveCalls() },
      ],
    }).compile();
    await module.init();
  }, 120_000);

  afterAll(async () => {
    await module?.close();
    await close?.();
  });

  it('creates every table', async () => {
    const runner = module.get(DataSource).createQueryRunner();
    try {
      for (const table of TABLES) expect(await runner.hasTable(table)).toBe(true);
    } finally {
      await runner.release();
    }
  });

  it('writes history behind and reads it back per user and per pair, newest first', async () => {
    const history = module.get(CallHistory);
    const make = (id: string, callee: string, ms: number) =>
      new CallMachine({
        id,
        providerType: 'webrtc',
        target: { kind: 'user', userId: callee },
        callerId: 'alice',
        now: new Date(Date.UTC(2026, 0, 1, 10, 0, 0, ms)),
      });
    const completed = make('00000000-0000-4000-8000-000000000001', 'bob', 0);
    history.record(completed.info, []);
    const answered = completed.answer('bob', new Date(Date.UTC(2026, 0, 1, 10, 0, 1)));
    history.record(completed.info, [
      ...answered,
      ...completed.join('alice', new Date(Date.UTC(2026, 0, 1, 10, 0, 1))),
    ]);
    history.record(
      completed.info,
      completed.hangup('alice', 'Alice', new Date(Date.UTC(2026, 0, 1, 10, 0, 6, 500))),
    );
    const declined = make('00000000-0000-4000-8000-000000000002', 'carol', 900);
    history.record(declined.info, declined.decline('carol', new Date(Date.UTC(2026, 0, 1, 10, 0, 2))));
    await history.flush();
    expect(history.backlog).toBe(0);

    const mine = await history.history('alice');
    expect(mine.map((c) => [c.id, c.outcome])).toEqual([
      [declined.id, 'declined'],
      [completed.id, 'completed'],
    ]);
    expect(mine[1]).toMatchObject({
      durationSeconds: 5.5,
      endReason: 'Alice left',
      target: { kind: 'user', userId: 'bob' },
    });
    expect(mine[1].participants.map((p) => [p.userId, p.state])).toEqual([
      ['alice', 'left'],
      ['bob', 'left'],
    ]);
    expect((await history.history('alice', { withUserId: 'carol' })).map((c) => c.id)).toEqual([declined.id]);
    expect((await history.history('bob')).map((c) => c.id)).toEqual([completed.id]);
    expect(await history.history('alice', { limit: 1 })).toHaveLength(1);
    expect(await history.history('nobody')).toEqual([]);
    expect((await history.eventsOf(completed.id)).map((e) => e.type)).toEqual([
      'answered',
      'joined',
      'joined',
      'left',
      'left',
      'ended',
    ]);
  });

  it('stores preferences as a patch, per user', async () => {
    const prefs = module.get(PreferencesService);
    expect(await prefs.get('alice')).toEqual({ lastProvider: {}, micEnabled: true, cameraEnabled: true });
    await prefs.update('alice', { lastProvider: { user: 'webrtc' } });
    await prefs.update('alice', { micEnabled: false });
    expect(await prefs.get('alice')).toEqual({
      lastProvider: { user: 'webrtc' },
      micEnabled: false,
      cameraEnabled: true,
    });
    expect((await prefs.get('bob')).lastProvider).toEqual({});
  });

  it('stores a recording (size as a number), reads it back, closes the ones left open', async () => {
    const repo = module.get(RecordingRepository);
    const id = '00000000-0000-4000-8000-0000000000aa';
    const row = (recordingId: string): RecordingEntity => ({
      id: recordingId,
      callId: '00000000-0000-4000-8000-000000000001',
      roomId: 'room-1',
      fileName: 'call-2026-01-01-1000.webm',
      relativePath: `${recordingId}.webm`,
      mimeType: 'video/webm',
      sizeBytes: 0,
      durationMs: 0,
      startedBy: 'alice',
      startedAt: '2026-01-01T10:00:00.000Z',
      stoppedAt: null,
      stopReason: null,
      messageId: null,
    });
    await repo.create(row(id));
    await repo.update(id, {
      sizeBytes: 5_000_000_000,
      durationMs: 10_020,
      stoppedAt: '2026-01-01T10:00:10.000Z',
      stopReason: 'stopped',
    });
    expect(await repo.findById(id)).toMatchObject({
      sizeBytes: 5_000_000_000,
      durationMs: 10_020,
      stopReason: 'stopped',
    });
    const open = '00000000-0000-4000-8000-0000000000ab';
    await repo.create(row(open));
    await repo.closeInterrupted('2026-01-01T11:00:00.000Z');
    expect(await repo.findById(open)).toMatchObject({
      stoppedAt: '2026-01-01T11:00:00.000Z',
      stopReason: 'interrupted',
    });
    expect((await repo.findById(id))?.stopReason).toBe('stopped');
  });

  it('retention: finds recordings stopped before a time, deletes them once; deletes ended calls with their rows', async () => {
    const repo = module.get(RecordingRepository);
    const base = {
      callId: 'c',
      roomId: 'room-1',
      fileName: 'f.webm',
      mimeType: 'video/webm',
      sizeBytes: 1,
      durationMs: 1,
      startedBy: 'alice',
      startedAt: '2025-01-01T10:00:00.000Z',
      stopReason: 'stopped' as const,
      messageId: 'm-1',
    };
    const ids = ['00000000-0000-4000-8000-0000000000c1', '00000000-0000-4000-8000-0000000000c2'];
    await repo.create({ ...base, id: ids[0], relativePath: 'a.webm', stoppedAt: '2025-01-01T10:00:05.000Z' });
    await repo.create({ ...base, id: ids[1], relativePath: 'b.webm', stoppedAt: '2025-03-01T10:00:05.000Z' });
    const old = await repo.stoppedBefore('2025-02-01T00:00:00.000Z', 10);
    expect(old.map((r) => r.id)).toEqual([ids[0]]);
    expect(old[0].messageId).toBe('m-1');
    expect(await repo.delete(ids[0])).toBe(true);
    expect(await repo.delete(ids[0])).toBe(false);
    expect(await repo.stoppedBefore('2025-02-01T00:00:00.000Z', 10)).toEqual([]);

    const history = module.get(CallHistory);
    const calls = module.get(CallRepository);
    const call = (id: string, at: Date, end: boolean) => {
      const machine = new CallMachine({
        id,
        providerType: 'webrtc',
        target: { kind: 'user', userId: 'bob' },
        callerId: 'carol',
        now: at,
      });
      history.record(machine.info, []);
      if (end) history.record(machine.info, machine.cancel('carol', new Date(at.getTime() + 1000)));
    };
    const oldEnded = '00000000-0000-4000-8000-0000000000d1';
    const oldOpen = '00000000-0000-4000-8000-0000000000d2';
    const recent = '00000000-0000-4000-8000-0000000000d3';
    call(oldEnded, new Date('2025-01-01T10:00:00.000Z'), true);
    call(oldOpen, new Date('2025-01-01T11:00:00.000Z'), false);
    call(recent, new Date('2025-03-01T10:00:00.000Z'), true);
    await history.flush();
    expect(await calls.eventsOf(oldEnded)).not.toEqual([]);
    expect(await calls.deleteEndedBefore('2025-02-01T00:00:00.000Z', 10)).toBe(1);
    expect(await calls.deleteEndedBefore('2025-02-01T00:00:00.000Z', 10)).toBe(0);
    expect(await calls.eventsOf(oldEnded)).toEqual([]);
    expect(await calls.participantsOf([oldEnded, oldOpen, recent])).toEqual(
      expect.not.arrayContaining([expect.objectContaining({ callId: oldEnded })]),
    );
    const mine = new Set([oldEnded, oldOpen, recent]);
    const left = (await calls.findOfUser('carol', undefined, 50)).map((c) => c.id).filter((c) => mine.has(c));
    expect(left.sort()).toEqual([oldOpen, recent].sort());
  });

  it('reverts the migrations and runs them again', async () => {
    const dataSource = module.get(DataSource);
    for (let i = 0; i < CALLS_MIGRATIONS.length; i++) await dataSource.undoLastMigration();
    const runner = dataSource.createQueryRunner();
    try {
      for (const table of TABLES) expect(await runner.hasTable(table)).toBe(false);
      await dataSource.runMigrations();
      for (const table of TABLES) expect(await runner.hasTable(table)).toBe(true);
    } finally {
      await runner.release();
    }
  });
});
