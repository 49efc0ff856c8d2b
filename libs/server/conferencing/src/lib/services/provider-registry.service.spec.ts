import { Test, type TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type ConnectorDefinition, ConnectorModule } from '@parley/connector-sdk';
import { DIRECTORY_ENTITIES, DIRECTORY_MIGRATIONS, DirectoryModule } from '@parley/server-directory';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, take, toArray } from 'rxjs';
import { DataSource } from 'typeorm';
import { ConferencingModule } from '../conferencing.module';
import { CONFERENCING_ENTITIES } from '../entities';
import { CONFERENCING_MIGRATIONS } from '../migrations';
import { loadConnectorPackages } from '../plugins/load-connectors';
import { ConferencingEvents } from './conferencing-events.service';
import { ProviderRegistry } from './provider-registry.service';

const ADMIN = { id: 'admin-1', displayName: 'Admin' };

describe('ProviderRegistry (real SQLite, built-in connector registered in-process)', () => {
  let dir: string;
  let module: TestingModule;
  let registry: ProviderRegistry;
  let clientPath: string;
  const isConfigured = jest.fn((settings: Record<string, unknown>) =>
    settings['token'] ? (true as const) : 'Token is not set',
  );

  const builtin = (): ConnectorDefinition => ({
    type: 'builtin-demo',
    title: 'Built-in demo',
    version: '1.0.0',
    description: 'In-process connector',
    supportedTargets: ['user', 'room'],
    capabilities: ['audio', 'video'],
    settingsSchema: {
      type: 'object',
      properties: {
        token: { type: 'string', writeOnly: true, minLength: 4 },
        region: { type: 'string', enum: ['eu', 'us'], default: 'eu' },
      },
    },
    isConfigured,
    joinInfo: (call, user, context) => ({ room: call.id, user: user.id, region: context.settings['region'] }),
    clientModule: { path: clientPath },
  });
  const broken = { ...builtin(), type: 'broken', version: 'one' };

  async function boot(): Promise<void> {
    module = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot({
          type: 'better-sqlite3',
          database: join(dir, 'test.sqlite'),
          entities: [...DIRECTORY_ENTITIES, ...CONFERENCING_ENTITIES],
          migrations: [...DIRECTORY_MIGRATIONS, ...CONFERENCING_MIGRATIONS],
          migrationsRun: true,
        }),
        { ...DirectoryModule.forRoot({ sessionSecret: 'x'.repeat(32), seedDemo: false }), global: true },
        ConnectorModule.register(builtin()),
        ConnectorModule.register(broken),
        ConferencingModule.forRoot({
          secretsKey: Buffer.alloc(32, 9),
          connectors: [
            { type: 'builtin-demo', source: { kind: 'builtin' } },
            { type: 'broken', source: { kind: 'builtin' } },
            { type: 'absent', source: { kind: 'package', name: '@acme/absent' } },
          ],
          publicUrl: 'http://parley.test',
          defaultStunUrl: null,
        }),
      ],
    }).compile();
    await module.init();
    registry = module.get(ProviderRegistry);
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-registry-'));
    clientPath = join(dir, 'client.mjs');
    writeFileSync(
      clientPath,
      'export default { init() {}, canCall() { return true; }, open() { return { close() {} }; } };\n',
    );
    await boot();
  });

  afterAll(async () => {
    await module?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers the valid built-in, reports the invalid and the unknown ones', () => {
    const { providers, loadErrors } = registry.adminList();
    expect(providers.map((p) => [p.type, p.source, p.active, p.configured])).toEqual([
      ['builtin-demo', { kind: 'builtin' }, true, false],
    ]);
    expect(providers[0].health).toMatchObject({ status: 'not_configured', reason: 'Token is not set' });
    expect(providers[0].settings).toEqual({ token: { set: false }, region: null });
    expect(loadErrors.map((e) => [e.package, e.message])).toEqual([
      ['builtin:broken', expect.stringContaining('version must be a semver version')],
      ['@acme/absent', expect.stringContaining('Nest could not find')],
    ]);
    expect(registry.usable()).toEqual([]);
  });

  it('validates, encrypts, caches and announces changes; survives a throwing isConfigured', async () => {
    const events = firstValueFrom(module.get(ConferencingEvents).events$.pipe(take(1), toArray()));
    await expect(registry.update('builtin-demo', { settings: { token: 'ab' } }, ADMIN)).rejects.toMatchObject(
      {
        response: { errors: [{ field: 'token', message: 'token must NOT have fewer than 4 characters' }] },
      },
    );
    const view = await registry.update(
      'builtin-demo',
      { settings: { token: 'tok-123', region: 'us' } },
      ADMIN,
    );
    expect(view).toMatchObject({
      configured: true,
      settings: { token: { set: true }, region: 'us' },
      updatedBy: 'Admin',
    });
    expect(await events).toEqual([{ type: 'providers.changed' }]);
    expect(registry.usable().map((p) => p.type)).toEqual(['builtin-demo']);
    const [row] = await module
      .get(DataSource)
      .query("SELECT settings FROM provider_configs WHERE type = 'builtin-demo'");
    expect(row.settings).not.toContain('tok-123');
    const call = {
      id: 'c1',
      target: { kind: 'user' as const, userId: 'u2' },
      ownerId: 'u1',
      title: 't',
      createdAt: '',
    };
    const user = { id: 'u1', username: 'u', displayName: 'U', email: null, avatarUrl: '/a', isAdmin: false };
    expect(await registry.joinInfo('builtin-demo', call, user)).toEqual({
      room: 'c1',
      user: 'u1',
      region: 'us',
    });

    isConfigured.mockImplementationOnce(() => {
      throw new Error('boom');
    });
    const failing = await registry.update(
      'builtin-demo',
      { settings: { token: { set: true }, region: 'eu' } },
      ADMIN,
    );
    expect(failing).toMatchObject({ configured: false, health: { reason: 'isConfigured failed: boom' } });
    expect(registry.usable()).toEqual([]);
    await registry.update('builtin-demo', { settings: { token: { set: true } } }, ADMIN);
    expect(registry.usable().map((p) => p.type)).toEqual(['builtin-demo']);
  });

  it('restores state from the database after a restart (secrets decrypted)', async () => {
    await module.close();
    await boot();
    const [provider] = registry.adminList().providers;
    expect(provider).toMatchObject({ configured: true, settings: { token: { set: true } } });
    expect(registry.connector('builtin-demo').context.settings).toMatchObject({
      token: 'tok-123',
      region: 'eu',
    });
  });
});

describe('loadConnectorPackages', () => {
  it('loads by name, and reports missing, broken and non-connector packages without stopping', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-plugins-'));
    try {
      const write = (name: string, code: string) => {
        const folder = join(dir, 'node_modules', name);
        mkdirSync(folder, { recursive: true });
        writeFileSync(join(folder, 'package.json'), JSON.stringify({ name, main: 'index.js' }));
        writeFileSync(join(folder, 'index.js'), code);
      };
      write('throws-on-load', "throw new Error('bad init');");
      write('not-a-connector', 'module.exports = { hello: 1 };');
      const { loaded, errors } = loadConnectorPackages(
        ['@parley/connector-jitsi', 'throws-on-load', 'not-a-connector', 'missing-pkg'],
        { searchPaths: [dir], require },
      );
      expect(loaded.map((l) => [l.type, l.registration.source])).toEqual([
        ['jitsi', { kind: 'package', name: '@parley/connector-jitsi' }],
      ]);
      expect(errors.map((e) => [e.package, e.message])).toEqual([
        ['throws-on-load', 'failed to load: bad init'],
        ['not-a-connector', expect.stringContaining('does not export `parleyConnector`')],
        ['missing-pkg', expect.stringContaining('package not found')],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
