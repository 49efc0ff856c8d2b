/**
 * The browser half of the connector contract, as the widget names it: a re-export of the SDK's
 * browser-safe entry (`@parley/connector-sdk/client`, where the whole contract is defined and
 * documented). The main SDK entry also exports the server half (NestJS, node:fs), which a browser
 * build must not type-check or bundle. Type-only: nothing of the SDK is bundled; the one runtime
 * line is the widget's own check {@link canPrepareMedia}.
 */
import type { ClientConnector, MediaPreparingConnector } from '@parley/connector-sdk/client';

export type {
  CallQuality,
  CallView,
  ClientCall,
  ClientConnector,
  ClientContext,
  ClientEvent,
  GroupLayout,
  InitialMediaState,
  MediaPreparingConnector,
  ParleyCallExtras,
  ParleyCallView,
  ParleyClientCall,
  SignalingChannel,
} from '@parley/connector-sdk/client';

/** The widget's name for the SDK's `ParleyClientCall` (what it passes to `open()`). */
export type { ParleyClientCall as WidgetClientCall } from '@parley/connector-sdk/client';
/** The widget's name for the SDK's `ParleyCallView` (the optional view methods it calls). */
export type { ParleyCallView as WidgetCallView } from '@parley/connector-sdk/client';

/** Whether a client half implements the optional `prepareMedia` (see `MediaPreparingConnector`). */
export function canPrepareMedia(connector: ClientConnector): connector is MediaPreparingConnector {
  return typeof (connector as Partial<MediaPreparingConnector>).prepareMedia === 'function';
}
