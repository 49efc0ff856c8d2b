import {
  BadRequestException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { SessionResponse } from '@parley/protocol';
import {
  DEFAULT_BEARER_TOKEN_TTL_MINUTES,
  DEFAULT_SESSION_TTL_HOURS,
  DIRECTORY_OPTIONS,
  type DirectoryModuleOptions,
} from '../directory.options';
import type { UserEntity } from '../entities';
import { DirectoryEvents } from './directory-events.service';
import { GroupRepository, UserRepository } from '../repositories';
import { dummyPasswordHash, verifyPassword } from '../util/password';
import { newId, nowIso } from '../util/time';
import { SessionRegistry } from './session-registry.service';
import { UserService } from './user.service';

export const INVALID_CREDENTIALS = 'Invalid username or password';

/** Claims of a token signed by the host portal. */
export interface PortalClaims {
  sub: string;
  name: string;
  preferred_username?: string;
  email?: string;
  groups?: string[];
}

interface SessionClaims {
  sub: string;
  /** The server-side session ({@link SessionRegistry}). */
  sid: string;
  /** `bearer`: a short-lived token handed to a non-browser client, refused in the cookie. */
  use?: 'bearer';
}

/** A signed-in request or socket: the user and the session it came with. */
export interface Authenticated {
  user: UserEntity;
  sessionId: string;
  /** ISO time when the session expires. */
  expiresAt: string;
}

function isPem(key: string): boolean {
  return key.includes('-----BEGIN');
}

function parsePortalClaims(payload: unknown): PortalClaims {
  const claims = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<string, unknown>;
  const problems: string[] = [];
  const optionalString = (name: string): string | undefined => {
    const value = claims[name];
    if (value === undefined || value === null) {
      return undefined;
    }
    if (typeof value !== 'string' || value.trim() === '') {
      problems.push(`${name} must be a non-empty string`);
      return undefined;
    }
    return value.trim();
  };
  const sub = optionalString('sub');
  const name = optionalString('name');
  if (!sub) problems.push('sub is required');
  if (!name) problems.push('name is required');
  const groups = claims['groups'];
  if (groups !== undefined && (!Array.isArray(groups) || groups.some((g) => typeof g !== 'string'))) {
    problems.push('groups must be an array of strings');
  }
  const result: PortalClaims = {
    sub: sub ?? '',
    name: name ?? '',
    preferred_username: optionalString('preferred_username'),
    email: optionalString('email'),
    groups: Array.isArray(groups) ? (groups as string[]) : undefined,
  };
  if (problems.length > 0) {
    throw new UnauthorizedException(`Invalid portal token: ${problems.join(', ')}`);
  }
  return result;
}

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  private readonly sessions: JwtService;
  private readonly ttlSeconds: number;

  constructor(
    private readonly users: UserRepository,
    private readonly groups: GroupRepository,
    private readonly userService: UserService,
    private readonly registry: SessionRegistry,
    private readonly events: DirectoryEvents,
    @Inject(DIRECTORY_OPTIONS) private readonly options: DirectoryModuleOptions,
  ) {
    if (!options.sessionSecret) {
      throw new Error('DirectoryModule: sessionSecret is required');
    }
    this.ttlSeconds = Math.round((options.sessionTtlHours ?? DEFAULT_SESSION_TTL_HOURS) * 3600);
    this.sessions = new JwtService({
      secret: options.sessionSecret,
      signOptions: { algorithm: 'HS256', expiresIn: this.ttlSeconds },
      verifyOptions: { algorithms: ['HS256'] },
    });
  }

  get sessionTtlSeconds(): number {
    return this.ttlSeconds;
  }

  /**
   * The token a client that is not a browser gets in a sign-in's body: bound to the same
   * server-side session (logout revokes both), valid only as `Authorization: Bearer` or socket
   * `auth.token` (never in the cookie), and short-lived (`BEARER_TOKEN_TTL_MINUTES`, at most the
   * session's own lifetime). The browser's cookie token stays out of every body.
   */
  async issueBearer(session: SessionResponse): Promise<SessionResponse> {
    const claims = await this.verify(session.token);
    if (!claims) throw new UnauthorizedException('Sign in required');
    const minutes = this.options.bearerTokenTtlMinutes ?? DEFAULT_BEARER_TOKEN_TTL_MINUTES;
    const now = Math.floor(Date.now() / 1000);
    const exp = Math.min(claims.exp, now + Math.round(minutes * 60));
    const token = await this.sessions.signAsync(
      { sub: claims.sub, sid: claims.sid, use: 'bearer' } satisfies SessionClaims,
      { expiresIn: Math.max(1, exp - now) },
    );
    return { user: session.user, token, expiresAt: new Date(exp * 1000).toISOString() };
  }

  /**
   * Same answer for an unknown user and a wrong password, after the same work. A failure is
   * logged as a structured warning (`event: auth.login_failed`, username, ip) and announced
   * (`auth.sign_in_failed`), which the admin audit log records.
   */
  async login(username: string, password: string, client: { ip?: string } = {}): Promise<SessionResponse> {
    const user = await this.users.findByUsername(username);
    const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
    if (!user || !user.passwordHash || !ok) {
      const reason = !user ? 'unknown_user' : !user.passwordHash ? 'no_password' : 'wrong_password';
      this.logger.warn(
        { event: 'auth.login_failed', username, ip: client.ip ?? null, reason },
        `Sign-in failed for ${JSON.stringify(username)}`,
      );
      this.events.emit({
        type: 'auth.sign_in_failed',
        attempt: { kind: 'password', username, ip: client.ip ?? null, reason },
      });
      throw new UnauthorizedException(INVALID_CREDENTIALS);
    }
    return this.openSession(user);
  }

  /** Opens a server-side session for the user and signs its token (`sub`, `sid`). */
  async openSession(user: UserEntity): Promise<SessionResponse> {
    const expiresAt = new Date(Math.floor(Date.now() / 1000 + this.ttlSeconds) * 1000);
    const sid = await this.registry.open(user.id, expiresAt);
    const token = await this.sessions.signAsync({ sub: user.id, sid } satisfies SessionClaims);
    return { user: await this.userService.toProfile(user), token, expiresAt: expiresAt.toISOString() };
  }

  /** The user of a session token, or null when the token is missing, invalid, expired or revoked. */
  async authenticate(token: string | undefined): Promise<UserEntity | null> {
    return (await this.authenticateSession(token))?.user ?? null;
  }

  /** The user and session of a token, or null when it is missing, invalid, expired or revoked. */
  async authenticateSession(
    token: string | undefined,
    via: 'bearer' | 'cookie' = 'bearer',
  ): Promise<Authenticated | null> {
    const claims = await this.verify(token);
    if (!claims || (claims.use === 'bearer' && via !== 'bearer')) return null;
    if (!(await this.registry.isLive(claims.sid, claims.sub))) {
      return null;
    }
    const user = await this.users.findById(claims.sub);
    return user
      ? { user, sessionId: claims.sid, expiresAt: new Date(claims.exp * 1000).toISOString() }
      : null;
  }

  /** Logout: revokes the token's session (its sockets are closed). A bad token is ignored. */
  async revoke(token: string | undefined): Promise<void> {
    const claims = await this.verify(token);
    if (claims) {
      await this.registry.revoke(claims.sid);
    }
  }

  private async verify(token: string | undefined): Promise<(SessionClaims & { exp: number }) | null> {
    if (!token) {
      return null;
    }
    try {
      const claims = await this.sessions.verifyAsync<Partial<SessionClaims & { exp: number }>>(token);
      return typeof claims.sub === 'string' &&
        typeof claims.sid === 'string' &&
        typeof claims.exp === 'number'
        ? {
            sub: claims.sub,
            sid: claims.sid,
            exp: claims.exp,
            ...(claims.use === 'bearer' ? { use: 'bearer' } : {}),
          }
        : null;
    } catch {
      return null;
    }
  }

  /**
   * Single sign-on: verifies a token of the host portal, upserts the user and opens a session. A
   * token that does not verify is announced (`auth.sign_in_failed`) like a wrong password.
   */
  async portalLogin(token: string, client: { ip?: string } = {}): Promise<SessionResponse> {
    try {
      return await this.verifiedPortalLogin(token);
    } catch (error) {
      if (error instanceof UnauthorizedException || error instanceof BadRequestException) {
        this.events.emit({
          type: 'auth.sign_in_failed',
          attempt: { kind: 'portal_token', username: null, ip: client.ip ?? null, reason: 'invalid_token' },
        });
      }
      throw error;
    }
  }

  private async verifiedPortalLogin(token: string): Promise<SessionResponse> {
    const key = this.options.portalTokenKey;
    if (!key) {
      throw new NotFoundException(
        'Portal sign-in is not configured on this server (set PORTAL_TOKEN_SECRET or PORTAL_TOKEN_PUBLIC_KEY)',
      );
    }
    if (typeof token !== 'string' || token.split('.').length !== 3) {
      throw new BadRequestException('token must be a JWT');
    }
    let payload: unknown;
    try {
      payload = await new JwtService().verifyAsync(
        token,
        isPem(key) ? { publicKey: key, algorithms: ['RS256'] } : { secret: key, algorithms: ['HS256'] },
      );
    } catch (error) {
      throw new UnauthorizedException(`Invalid portal token: ${(error as Error).message}`);
    }
    const claims = parsePortalClaims(payload);
    const user = await this.upsertPortalUser(claims);
    return this.openSession(user);
  }

  private async upsertPortalUser(claims: PortalClaims): Promise<UserEntity> {
    const username = claims.preferred_username ?? claims.sub;
    let user = await this.users.findByUsername(username);
    if (user) {
      const changes = { displayName: claims.name, email: claims.email ?? user.email };
      await this.users.update(user.id, changes);
      user = { ...user, ...changes };
    } else {
      user = await this.users.create({
        id: newId(),
        username,
        displayName: claims.name,
        email: claims.email ?? null,
        title: null,
        passwordHash: null,
        presence: 'available',
        createdAt: nowIso(),
      });
    }
    if (claims.groups) {
      const groupIds: string[] = [];
      for (const name of new Set(claims.groups)) {
        groupIds.push((await this.groups.findOrCreate(name)).id);
      }
      await this.groups.setMemberships(user.id, groupIds);
    }
    return user;
  }
}
