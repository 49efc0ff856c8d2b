import { describeConnectorConformance } from '@parley/connector-sdk/testing';
import { buildSync } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWebrtcDefinition } from './lib/definition';
import { MediasoupService } from './lib/mediasoup.service';

// The built-in connector as the app registers it: a real mediasoup worker (joinInfo creates a
// router per call) and the client half bundled as `nx run connector-webrtc:build-client` does.
const dir = mkdtempSync(join(tmpdir(), 'parley-webrtc-conformance-'));
const media = new MediasoupService({ workers: 1, logLevel: 'error' });

afterAll(async () => {
  await media.onModuleDestroy();
  rmSync(dir, { recursive: true, force: true });
});

describeConnectorConformance({
  load: () => {
    const clientPath = join(dir, 'client.js');
    buildSync({
      entryPoints: [join(__dirname, 'client/index.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      outfile: clientPath,
      logLevel: 'silent',
    });
    void media.onModuleInit();
    return createWebrtcDefinition(media, clientPath);
  },
  validSettings: { listenIp: '127.0.0.1', announcedAddress: '', rtcPort: 0, maxBitrate: 1_000_000 },
  invalidSettings: [
    { settings: { listenIp: 'everywhere' }, field: 'listenIp' },
    { settings: { rtcPort: 70000 }, field: 'rtcPort' },
    { settings: { rtcPort: 1.5 }, field: 'rtcPort' },
    { settings: { maxBitrate: 10 }, field: 'maxBitrate' },
    { settings: { announcedAddress: 'a b' }, field: 'announcedAddress' },
  ],
});
