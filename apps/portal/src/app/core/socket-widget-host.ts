import { inject } from '@angular/core';
import type { SocketEventName, SocketEvents, SocketRequestName, SocketRequests } from '@parley/protocol';
import { ParleyWidgetHost } from '@parley/widget';
import type { Observable } from 'rxjs';
import { RealtimeService } from './realtime.service';

/**
 * The socket side of the portal's widget hosts (the signed-in portal's and a guest's): requests,
 * pushes and the connection's ups and downs over the page's {@link RealtimeService}.
 */
export abstract class SocketWidgetHost extends ParleyWidgetHost {
  protected readonly realtime = inject(RealtimeService);

  readonly connected$ = this.realtime.connected$;
  override readonly disconnected$ = this.realtime.disconnected$;

  request<K extends SocketRequestName>(
    name: K,
    payload: SocketRequests[K]['request'],
  ): Promise<SocketRequests[K]['response']> {
    return this.realtime.request(name, payload);
  }

  rawRequest(name: string, payload: unknown): Promise<unknown> {
    return this.realtime.request(name as SocketRequestName, payload as never);
  }

  events<K extends SocketEventName>(name: K): Observable<SocketEvents[K]> {
    return this.realtime.events(name);
  }

  rawEvents(name: string): Observable<unknown> {
    return this.realtime.rawEvents(name);
  }
}
