import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import {
  API,
  type CallHistoryQuery,
  type CallHistoryResponse,
  type CallTarget,
  type ChatMessage,
  type MessagesQuery,
  type UserImAccount,
  type UserPreferences,
  type UserPreferencesUpdate,
  type UserSummary,
} from '@parley/protocol';
import type { ClientConnector, UsableProvider } from '@parley/widget';
import { firstValueFrom, type Observable } from 'rxjs';
import { ApiClient, ApiRequestError } from './api-client';
import { ClientConnectorLoader } from './client-connector-loader';
import { DirectoryStore } from './directory.store';
import { ProvidersStore } from './providers.store';
import { RoomsStore } from './rooms.store';
import { SocketWidgetHost } from './socket-widget-host';
import { SessionService } from './session.service';

/**
 * The call widget (`@parley/widget`) inside the portal: it reuses the portal's session, its one
 * socket, the directory with live presence, the providers store and the client-half loader.
 */
@Injectable()
export class PortalWidgetHost extends SocketWidgetHost {
  private readonly session = inject(SessionService);
  private readonly directory = inject(DirectoryStore);
  private readonly store = inject(ProvidersStore);
  private readonly loader = inject(ClientConnectorLoader);
  private readonly http = inject(HttpClient);
  private readonly rooms = inject(RoomsStore);
  private readonly api = inject(ApiClient);

  readonly me = this.session.user;
  readonly users = this.directory.users;
  readonly providers = this.store.providers;

  loadUser(id: string): Promise<UserSummary> {
    return this.directory.profile(id);
  }

  usableProviders(target: CallTarget): Promise<UsableProvider[]> {
    return this.loader.usable(this.store.providers(), target);
  }

  async connector(providerType: string): Promise<ClientConnector | null> {
    const provider = this.store.providers().find((p) => p.type === providerType);
    return provider ? this.loader.connector(provider) : null;
  }

  override roomMessages(roomId: string, query: MessagesQuery): Promise<ChatMessage[]> {
    return this.api.messages(roomId, query);
  }

  override imAccounts(userId: string): Promise<UserImAccount[]> {
    return this.api.imAccounts(userId);
  }

  override roomTitle(roomId: string): string | null {
    return this.rooms.room(roomId)?.title ?? null;
  }

  preferences(): Promise<UserPreferences> {
    return this.call(this.http.get<UserPreferences>(API.myPreferences));
  }

  updatePreferences(patch: UserPreferencesUpdate): Promise<UserPreferences> {
    return this.call(this.http.put<UserPreferences>(API.myPreferences, patch));
  }

  history(query: CallHistoryQuery): Promise<CallHistoryResponse> {
    let params = new HttpParams();
    if (query.userId) params = params.set('userId', query.userId);
    if (query.limit) params = params.set('limit', query.limit);
    return this.call(this.http.get<CallHistoryResponse>(API.callHistory, { params }));
  }

  private async call<T>(request: Observable<T>): Promise<T> {
    try {
      return await firstValueFrom(request);
    } catch (err) {
      throw ApiRequestError.from(err);
    }
  }
}
