import type { DynamicModule } from '@nestjs/common';
import { ConnectorModule } from '@parley/connector-sdk';
import { availableParallelism } from 'node:os';
import { createWebrtcDefinition, WEBRTC_TYPE } from './definition';
import { WEBRTC_OPTIONS, type WebrtcModuleOptions } from './media/media-types';
import { MediasoupService } from './mediasoup.service';
import { WebrtcGateway } from './webrtc.gateway';

/**
 * The built-in connector's module: the definition (`webrtc`), the mediasoup service and the
 * `webrtc.*` gateway. The app registers it like any connector (`BUILTIN_CONNECTORS`).
 */
export function webrtcConnector(options: WebrtcModuleOptions = {}): DynamicModule {
  const resolved: WebrtcModuleOptions = { ...options, workers: options.workers || availableParallelism() };
  return ConnectorModule.registerAsync({
    type: WEBRTC_TYPE,
    providers: [{ provide: WEBRTC_OPTIONS, useValue: resolved }, MediasoupService, WebrtcGateway],
    inject: [MediasoupService],
    useFactory: (...deps: never[]) => {
      const [media] = deps as unknown as [MediasoupService];
      return createWebrtcDefinition(media, resolved.clientModulePath);
    },
  });
}
