import { Injectable } from '@nestjs/common';
import { EventBus } from '@parley/server-directory';

/** What changed; the gateway turns these into `providers.changed` / `admin.changed` pushes. */
export type ConferencingEvent = { type: 'providers.changed' } | { type: 'ice.changed' };

@Injectable()
export class ConferencingEvents extends EventBus<ConferencingEvent> {}
