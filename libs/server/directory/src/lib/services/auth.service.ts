import {
  BadRequestException,
  Inject,
  Injectable,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { SessionResponse } from '@parley/protocol';
import {
  DEFAULT_SESSION_TTL_HOURS,
  DIRECTORY_OPTIONS,
  type DirectoryModuleOptions,
} from '../directory.options';
import type { UserEntity } from '../entities';
import { GroupRepository, UserRepository } from '../repositories';
import { dummyPasswordHash, verifyPassword } from '../util/password';
import { newId, nowIso } from '../util/time';
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
  private readonly sessions: JwtService;
  private readonly ttlSeconds: number;

  constructor(
    private readonly users: UserRepository,
    private readonly groups: GroupRepository,
    private readonly userService: UserService,
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

  /** Same answer for an unknown user and a wrong password, after the same work. */
  async login(username: string, password: string): Promise<SessionResponse> {
    const user = await this.users.findByUsername(username);
    const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
    if (!user || !user.passwordHash || !ok) {
      throw new UnauthorizedException(INVALID_CREDENTIALS);
    }
    return this.openSession(user);
  }

  async openSession(user: UserEntity): Promise<SessionResponse> {
    const token = await this.sessions.signAsync({ sub: user.id } satisfies SessionClaims);
    const { exp } = this.sessions.decode<{ exp: number }>(token);
    return {
      user: await this.userService.toProfile(user),
      token,
      expiresAt: new Date(exp * 1000).toISOString(),
    };
  }

  /** The user of a session token, or null when the token is missing, invalid or expired. */
  async authenticate(token: string | undefined): Promise<UserEntity | null> {
    if (!token) {
      return null;
    }
    try {
      const claims = await this.sessions.verifyAsync<SessionClaims>(token);
      return typeof claims.sub === 'string' ? await this.users.findById(claims.sub) : null;
    } catch {
      return null;
    }
  }

  /** Single sign-on: verifies a token of the host portal, upserts the user and opens a session. */
  async portalLogin(token: string): Promise<SessionResponse> {
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
