import type { DynamicModule } from '@nestjs/common';
import { WEBRTC_TYPE, webrtcConnector } from '@parley/connector-webrtc';
import { type ConnectorRegistration, loadConnectorPackages } from '@parley/server-conferencing';
import type { ConnectorLoadError } from '@parley/protocol';
import type { AppConfig } from './config';

/**
 * Built-in connectors: modules made with `ConnectorModule.register(Async)` and registered exactly
 * like plug-ins: the built-in WebRTC connector (mediasoup).
 */
export function builtinConnectors(
  config: Pick<AppConfig, 'webrtcEnabled' | 'mediasoupWorkers' | 'webrtcClientModule'> &
    Partial<Pick<AppConfig, 'ffmpegPath' | 'webrtcRtcPort' | 'webrtcAnnouncedAddress'>>,
): { type: string; module: DynamicModule }[] {
  if (!config.webrtcEnabled) return [];
  return [
    {
      type: WEBRTC_TYPE,
      module: webrtcConnector({
        workers: config.mediasoupWorkers,
        clientModulePath: config.webrtcClientModule ?? undefined,
        ffmpegPath: config.ffmpegPath ?? undefined,
        rtcPort: config.webrtcRtcPort ?? undefined,
        announcedAddress: config.webrtcAnnouncedAddress ?? undefined,
      }),
    },
  ];
}

export interface AppConnectors {
  modules: DynamicModule[];
  registrations: ConnectorRegistration[];
  loadErrors: ConnectorLoadError[];
}

/** Built-ins plus the plug-ins named in PARLEY_CONNECTORS (failures reported, never fatal). */
export function appConnectors(
  config: Pick<
    AppConfig,
    'connectors' | 'connectorsPath' | 'webrtcEnabled' | 'mediasoupWorkers' | 'webrtcClientModule'
  >,
  builtins: { type: string; module: DynamicModule }[] = builtinConnectors(config),
): AppConnectors {
  const { loaded, errors } = loadConnectorPackages(config.connectors, {
    searchPaths: [...config.connectorsPath, process.cwd()],
    require,
  });
  const builtinTypes = new Set(builtins.map((builtin) => builtin.type));
  const plugins = loaded.filter((plugin) => {
    if (!builtinTypes.has(plugin.type)) return true;
    errors.push({
      package: plugin.registration.source.kind === 'package' ? plugin.registration.source.name : plugin.type,
      message: `connector type ${plugin.type} is already built in`,
      at: new Date().toISOString(),
    });
    return false;
  });
  return {
    modules: [...builtins.map((builtin) => builtin.module), ...plugins.map((plugin) => plugin.module)],
    registrations: [
      ...builtins.map((builtin): ConnectorRegistration => ({
        type: builtin.type,
        source: { kind: 'builtin' },
      })),
      ...plugins.map((plugin) => plugin.registration),
    ],
    loadErrors: errors,
  };
}
