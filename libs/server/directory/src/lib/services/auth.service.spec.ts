import { NotFoundException, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { generateKeyPairSync } from 'node:crypto';
import { DEFAULT_ADMINS_GROUP } from '../directory.options';
import { UserRepository } from '../repositories';
import {
  createTestDatabase,
  createTestDirectory,
  TEST_SESSION_SECRET,
  type TestDatabase,
  type TestDirectory,
} from '../testing';
import { AuthService, INVALID_CREDENTIALS } from './auth.service';
import { DEMO_PASSWORD } from './seed.service';

const PORTAL_SECRET = 'portal-shared-secret-portal-shared-secret';

async function open(options: Parameters<typeof createTestDirectory>[1] = {}) {
  const database = await createTestDatabase('sqlite');
  const directory = await createTestDirectory(database, options);
  return { database, directory, auth: directory.module.get(AuthService) };
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('AuthService', () => {
  const opened: { database: TestDatabase; directory: TestDirectory }[] = [];
  const track = async (options: Parameters<typeof createTestDirectory>[1] = {}) => {
    const result = await open(options);
    opened.push(result);
    return result;
  };

  afterAll(async () => {
    for (const { directory, database } of opened) {
      await directory.close();
      await database.close();
    }
  });

  describe('passwords and sessions', () => {
    let auth: AuthService;
    beforeAll(async () => ({ auth } = await track()));

    it('signs in a demo user and authenticates the session token', async () => {
      const session = await auth.login('alice', DEMO_PASSWORD);
      expect(session.user).toMatchObject({ username: 'alice', isAdmin: true });
      expect(session.user.groups).toContain(DEFAULT_ADMINS_GROUP);
      expect(new Date(session.expiresAt).getTime()).toBeGreaterThan(Date.now() + 11 * 3600 * 1000);
      expect((await auth.authenticate(session.token))?.username).toBe('alice');
    });

    it('answers the same for a wrong password and an unknown user', async () => {
      await expect(auth.login('alice', 'wrong')).rejects.toThrow(
        new UnauthorizedException(INVALID_CREDENTIALS),
      );
      await expect(auth.login('nobody', DEMO_PASSWORD)).rejects.toThrow(
        new UnauthorizedException(INVALID_CREDENTIALS),
      );
    });

    it('rejects missing, forged and expired session tokens', async () => {
      const alice = (await auth.login('alice', DEMO_PASSWORD)).user;
      expect(await auth.authenticate(undefined)).toBeNull();
      expect(await auth.authenticate('not-a-jwt')).toBeNull();
      const forged = new JwtService({ secret: 'another-secret' }).sign({ sub: alice.id });
      expect(await auth.authenticate(forged)).toBeNull();
      const expired = new JwtService({ secret: TEST_SESSION_SECRET }).sign(
        { sub: alice.id },
        { expiresIn: -10 },
      );
      expect(await auth.authenticate(expired)).toBeNull();
      const none = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: alice.id })}.`;
      expect(await auth.authenticate(none)).toBeNull();
    });

    it('refuses portal tokens when no portal key is configured', async () => {
      await expect(auth.portalLogin('a.b.c')).rejects.toBeInstanceOf(NotFoundException);
    });
  });

  describe('portal single sign-on (HS256)', () => {
    let auth: AuthService;
    let directory: TestDirectory;
    beforeAll(async () => ({ auth, directory } = await track({ portalTokenKey: PORTAL_SECRET })));
    const portal = new JwtService({ secret: PORTAL_SECRET });

    it('creates the user with its groups, then updates them', async () => {
      const token = portal.sign({
        sub: 'portal-42',
        name: 'Grace Hopper',
        preferred_username: 'grace',
        email: 'grace@example.org',
        groups: [DEFAULT_ADMINS_GROUP, 'navy'],
      });
      const session = await auth.portalLogin(token);
      expect(session.user).toMatchObject({ username: 'grace', displayName: 'Grace Hopper', isAdmin: true });
      expect(session.user.groups).toEqual(['navy', DEFAULT_ADMINS_GROUP].sort());
      const stored = await directory.module.get(UserRepository).findByUsername('grace');
      expect(stored?.passwordHash).toBeNull();

      const again = await auth.portalLogin(
        portal.sign({
          sub: 'portal-42',
          name: 'Grace B. Hopper',
          preferred_username: 'grace',
          groups: ['navy'],
        }),
      );
      expect(again.user).toMatchObject({
        id: session.user.id,
        displayName: 'Grace B. Hopper',
        isAdmin: false,
        groups: ['navy'],
      });
      await expect(auth.login('grace', '')).rejects.toBeInstanceOf(UnauthorizedException);
    });

    it('uses sub as the username without preferred_username', async () => {
      const session = await auth.portalLogin(portal.sign({ sub: 'u-7', name: 'Seven' }));
      expect(session.user.username).toBe('u-7');
    });

    it('rejects bad signatures, alg none, other algorithms and missing claims', async () => {
      const other = new JwtService({ secret: 'not-the-portal-secret' }).sign({ sub: 'x', name: 'X' });
      await expect(auth.portalLogin(other)).rejects.toBeInstanceOf(UnauthorizedException);
      const none = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: 'x', name: 'X' })}.`;
      await expect(auth.portalLogin(none)).rejects.toBeInstanceOf(UnauthorizedException);
      const hs512 = portal.sign({ sub: 'x', name: 'X' }, { algorithm: 'HS512' });
      await expect(auth.portalLogin(hs512)).rejects.toBeInstanceOf(UnauthorizedException);
      await expect(auth.portalLogin(portal.sign({ sub: 'x' }))).rejects.toThrow(/name is required/);
      await expect(auth.portalLogin(portal.sign({ sub: 'x', name: 'X', groups: 'admins' }))).rejects.toThrow(
        /groups must be an array/,
      );
    });
  });

  describe('portal single sign-on (RS256)', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    let auth: AuthService;
    beforeAll(async () => ({ auth } = await track({ portalTokenKey: publicPem })));

    it('accepts a token signed with the private key', async () => {
      const token = new JwtService({ privateKey: privatePem }).sign(
        { sub: 'rs-1', name: 'Ada Lovelace', preferred_username: 'ada' },
        { algorithm: 'RS256' },
      );
      expect((await auth.portalLogin(token)).user.username).toBe('ada');
    });

    it('rejects an HS256 token signed with the public key (algorithm confusion)', async () => {
      const forged = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url({ sub: 'evil', name: 'Evil' })}`;
      const { createHmac } = await import('node:crypto');
      const signature = createHmac('sha256', publicPem).update(forged).digest('base64url');
      await expect(auth.portalLogin(`${forged}.${signature}`)).rejects.toBeInstanceOf(UnauthorizedException);
    });
  });
});
