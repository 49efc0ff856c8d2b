import { HttpClient, HttpErrorResponse, HttpParams } from '@angular/common/http';
import { Injectable, InjectionToken, inject } from '@angular/core';
import {
  API,
  type AdminIceServer,
  type AdminLiveCalls,
  type AdminParticipantStats,
  type AdminIceSettings,
  type AdminProvider,
  type AdminProvidersResponse,
  type AuditEntry,
  type AuditQuery,
  type FieldError,
  type IceServerInput,
  type IceServerTest,
  type IceSettingsUpdate,
  type ProviderHealth,
  type ProviderUpdate,
  type RetentionSettings,
  GUEST_API,
  type GuestSettings,
  type GuestSettingsUpdate,
} from '@parley/protocol';
import { EMPTY, type Observable, firstValueFrom } from 'rxjs';

/**
 * Pushes that tell the admin page something changed elsewhere (another admin, another tab): the
 * host app provides the `admin.changed` socket events here; without it the page only refreshes
 * after its own changes.
 */
export const ADMIN_CHANGES = new InjectionToken<Observable<{ area: 'providers' | 'ice' }>>('ADMIN_CHANGES', {
  providedIn: 'root',
  factory: () => EMPTY,
});

/** A failed admin request: the server's message, the HTTP status and, for a 400, the invalid fields. */
export class AdminApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly fieldErrors: readonly FieldError[] = [],
  ) {
    super(message);
    this.name = 'AdminApiError';
  }

  /** The per-field messages by field name (`''` = the whole object). */
  byField(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const error of this.fieldErrors) out[error.field] = out[error.field] ?? error.message;
    return out;
  }

  static from(err: unknown): AdminApiError {
    if (err instanceof AdminApiError) return err;
    if (!(err instanceof HttpErrorResponse)) {
      return new AdminApiError(err instanceof Error ? err.message : String(err), 0);
    }
    const body: unknown = err.error;
    let message = err.status === 0 ? 'The server cannot be reached.' : `Request failed (${err.status})`;
    let fields: FieldError[] = [];
    if (typeof body === 'object' && body !== null) {
      const raw = body as { message?: unknown; errors?: unknown };
      if (typeof raw.message === 'string') message = raw.message;
      else if (Array.isArray(raw.message)) message = raw.message.join(', ');
      if (Array.isArray(raw.errors)) fields = raw.errors.filter(isFieldError);
    }
    if (err.status === 403) message = 'Only members of the administrators group may change these settings.';
    return new AdminApiError(message, err.status, fields);
  }
}

function isFieldError(value: unknown): value is FieldError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as FieldError).field === 'string' &&
    typeof (value as FieldError).message === 'string'
  );
}

/** The Web Conferencing admin API (`/api/admin/...`), typed; errors become {@link AdminApiError}. */
@Injectable({ providedIn: 'root' })
export class AdminApi {
  private readonly http = inject(HttpClient);

  providers(): Promise<AdminProvidersResponse> {
    return this.call(this.http.get<AdminProvidersResponse>(API.adminProviders));
  }

  updateProvider(type: string, update: ProviderUpdate): Promise<AdminProvider> {
    return this.call(this.http.put<AdminProvider>(API.adminProvider(type), update));
  }

  reorderProviders(order: string[]): Promise<AdminProvidersResponse> {
    return this.call(this.http.put<AdminProvidersResponse>(API.adminProviders, { order }));
  }

  checkProvider(type: string): Promise<ProviderHealth> {
    return this.call(this.http.post<ProviderHealth>(API.adminProviderCheck(type), {}));
  }

  iceServers(): Promise<AdminIceSettings> {
    return this.call(this.http.get<AdminIceSettings>(API.adminIceServers));
  }

  createIceServer(input: IceServerInput): Promise<AdminIceServer> {
    return this.call(this.http.post<AdminIceServer>(API.adminIceServers, input));
  }

  updateIceServer(id: string, input: IceServerInput): Promise<AdminIceServer> {
    return this.call(this.http.put<AdminIceServer>(API.adminIceServer(id), input));
  }

  deleteIceServer(id: string): Promise<void> {
    return this.call(this.http.delete<void>(API.adminIceServer(id)));
  }

  updateIceSettings(update: IceSettingsUpdate): Promise<AdminIceSettings> {
    return this.call(this.http.put<AdminIceSettings>(API.adminIceServers, update));
  }

  testIceServer(id: string): Promise<IceServerTest> {
    return this.call(this.http.post<IceServerTest>(API.adminIceServerTest(id), {}));
  }

  audit(query: AuditQuery = {}): Promise<AuditEntry[]> {
    let params = new HttpParams();
    if (query.before) params = params.set('before', query.before);
    if (query.limit) params = params.set('limit', query.limit);
    return this.call(this.http.get<AuditEntry[]>(API.adminAudit, { params }));
  }

  retention(): Promise<RetentionSettings> {
    return this.call(this.http.get<RetentionSettings>(API.adminRetention));
  }

  /** Fields left out stay as they are; null keeps everything. */
  updateRetention(update: Partial<RetentionSettings>): Promise<RetentionSettings> {
    return this.call(this.http.put<RetentionSettings>(API.adminRetention, update));
  }

  /** `GET /api/admin/guests`: guests on or off, who may create links (docs/guests.md). */
  guestSettings(): Promise<GuestSettings> {
    return this.call(this.http.get<GuestSettings>(GUEST_API.adminSettings));
  }

  updateGuestSettings(update: GuestSettingsUpdate): Promise<GuestSettings> {
    return this.call(this.http.put<GuestSettings>(GUEST_API.adminSettings, update));
  }

  /** `GET /api/admin/calls`: this node's live calls with the participants' media figures. */
  liveCalls(): Promise<AdminLiveCalls> {
    return this.call(this.http.get<AdminLiveCalls>(API.adminCalls));
  }

  /** One participant's `/call stats` detail. */
  participantStats(callId: string, userId: string): Promise<AdminParticipantStats> {
    return this.call(this.http.get<AdminParticipantStats>(API.adminCallParticipantStats(callId, userId)));
  }

  private async call<T>(request: Observable<T>): Promise<T> {
    try {
      return await firstValueFrom(request, { defaultValue: undefined as T });
    } catch (err) {
      throw AdminApiError.from(err);
    }
  }
}
