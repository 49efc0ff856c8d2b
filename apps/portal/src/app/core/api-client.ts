import { HttpClient, HttpErrorResponse, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import {
  API,
  type ActivityPost,
  type ApiError,
  type ChatMessage,
  type CreatePostRequest,
  type DirectRoomRequest,
  type IceConfig,
  type LoginRequest,
  type MessagesQuery,
  type ProviderDescriptor,
  type RoomSummary,
  type SessionInfo,
  type SetImAccountRequest,
  type UserImAccount,
  type UserProfile,
  type UserSummary,
} from '@parley/protocol';
import { type Observable, firstValueFrom } from 'rxjs';

/**
 * Typed access to the REST API of the Parley server (same origin, session cookie).
 * Every method returns a promise; HTTP errors are rethrown as {@link ApiRequestError}.
 */
@Injectable({ providedIn: 'root' })
export class ApiClient {
  private readonly http = inject(HttpClient);

  login(body: LoginRequest): Promise<SessionInfo> {
    return this.call(this.http.post<SessionInfo>(API.login, body));
  }

  logout(): Promise<void> {
    return this.call(this.http.post<void>(API.logout, {}));
  }

  session(): Promise<SessionInfo> {
    return this.call(this.http.get<SessionInfo>(API.session));
  }

  users(): Promise<UserSummary[]> {
    return this.call(this.http.get<UserSummary[]>(API.users));
  }

  user(id: string): Promise<UserProfile> {
    return this.call(this.http.get<UserProfile>(API.user(id)));
  }

  /** A user's IM accounts (anyone signed in may read them, like the profile). */
  imAccounts(userId: string): Promise<UserImAccount[]> {
    return this.call(this.http.get<UserImAccount[]>(API.userImAccounts(userId)));
  }

  /** Sets my account for a provider's IM field (400 with the reason when the value does not fit). */
  setImAccount(providerType: string, value: string): Promise<UserImAccount> {
    const body: SetImAccountRequest = { value };
    return this.call(this.http.put<UserImAccount>(API.myImAccount(providerType), body));
  }

  removeImAccount(providerType: string): Promise<void> {
    return this.call(this.http.delete<void>(API.myImAccount(providerType)));
  }

  rooms(): Promise<RoomSummary[]> {
    return this.call(this.http.get<RoomSummary[]>(API.rooms));
  }

  room(id: string): Promise<RoomSummary> {
    return this.call(this.http.get<RoomSummary>(API.room(id)));
  }

  /** Newest first, as the server pages them: the room's root messages, or a thread's replies (`thread`). */
  messages(roomId: string, query: MessagesQuery = {}): Promise<ChatMessage[]> {
    let params = new HttpParams();
    if (query.before) params = params.set('before', query.before);
    if (query.limit) params = params.set('limit', query.limit);
    if (query.thread) params = params.set('thread', query.thread);
    return this.call(this.http.get<ChatMessage[]>(API.roomMessages(roomId), { params }));
  }

  directRoom(userId: string): Promise<RoomSummary> {
    const req: DirectRoomRequest = { userId };
    return this.call(this.http.post<RoomSummary>(API.directRoom, req));
  }

  posts(): Promise<ActivityPost[]> {
    return this.call(this.http.get<ActivityPost[]>(API.posts));
  }

  createPost(body: string): Promise<ActivityPost> {
    const req: CreatePostRequest = { body };
    return this.call(this.http.post<ActivityPost>(API.posts, req));
  }

  /** Providers the signed-in user may call with, in the admins' order. */
  providers(): Promise<ProviderDescriptor[]> {
    return this.call(this.http.get<ProviderDescriptor[]>(API.providers));
  }

  /** ICE servers with fresh short-lived TURN credentials. */
  iceConfig(): Promise<IceConfig> {
    return this.call(this.http.get<IceConfig>(API.iceConfig));
  }

  /** Deletes a call recording (its host or an admin); its post comes back as `room.message.updated`. */
  deleteRecording(id: string): Promise<void> {
    return this.call(this.http.delete<void>(API.recording(id)));
  }

  private async call<T>(request: Observable<T>): Promise<T> {
    try {
      return await firstValueFrom(request);
    } catch (err) {
      throw ApiRequestError.from(err);
    }
  }
}

/** An HTTP failure with the server's message (NestJS error body) when there is one. */
export class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }

  static from(err: unknown): ApiRequestError {
    if (err instanceof ApiRequestError) return err;
    if (err instanceof HttpErrorResponse) {
      return new ApiRequestError(messageOf(err), err.status);
    }
    return new ApiRequestError(err instanceof Error ? err.message : String(err), 0);
  }
}

function messageOf(err: HttpErrorResponse): string {
  const body: unknown = err.error;
  if (isApiError(body)) {
    return Array.isArray(body.message) ? body.message.join(', ') : body.message;
  }
  if (typeof body === 'string' && body.trim() && body.length < 300) return body;
  if (err.status === 0) return 'The server cannot be reached.';
  return err.statusText ? `${err.status} ${err.statusText}` : `Request failed (${err.status})`;
}

function isApiError(body: unknown): body is ApiError {
  if (typeof body !== 'object' || body === null || !('message' in body)) return false;
  const message = (body as { message: unknown }).message;
  return typeof message === 'string' || Array.isArray(message);
}
