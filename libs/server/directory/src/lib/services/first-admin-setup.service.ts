import {
  ConflictException,
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { SessionResponse, SetupRequest } from '@parley/protocol';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { DEFAULT_ADMINS_GROUP, DIRECTORY_OPTIONS, type DirectoryModuleOptions } from '../directory.options';
import { GroupRepository, UserRepository } from '../repositories';
import { hashPassword } from '../util/password';
import { newId, nowIso } from '../util/time';
import { AuthService } from './auth.service';

export const SETUP_DONE = 'This server is set up already: sign in instead';

/**
 * The first administrator of a directory that starts empty without the demo seed (production):
 * at start-up a one-time setup token is printed in the log (warning, `event: auth.setup_token`),
 * and `POST /api/auth/setup {token, username, password, displayName}` creates that user in the
 * admins group, once. The token lives in memory only: a restart prints a new one while there are
 * still no users; once a user exists the route answers 409.
 */
@Injectable()
export class FirstAdminSetup implements OnApplicationBootstrap {
  private readonly logger = new Logger(FirstAdminSetup.name);
  private token: string | null = null;
  private busy = false;

  constructor(
    private readonly users: UserRepository,
    private readonly groups: GroupRepository,
    private readonly auth: AuthService,
    @Inject(DIRECTORY_OPTIONS) private readonly options: DirectoryModuleOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.seedDemo || (await this.users.count()) > 0) {
      return;
    }
    this.token = randomBytes(24).toString('base64url');
    this.logger.warn(
      { event: 'auth.setup_token', setupToken: this.token },
      `No users yet. Create the first administrator once with POST /api/auth/setup ` +
        `{"token":"${this.token}","username":…,"password":…,"displayName":…} (docs/operations.md, "First administrator")`,
    );
  }

  /** Whether a setup token is waiting to be used. */
  get pending(): boolean {
    return this.token !== null;
  }

  async setUp(request: SetupRequest): Promise<SessionResponse> {
    if (!this.token || this.busy || (await this.users.count()) > 0) {
      throw new ConflictException(SETUP_DONE);
    }
    const expected = Buffer.from(this.token);
    const given = Buffer.from(request.token);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw new ForbiddenException('Wrong setup token: use the one printed in the server log at start-up');
    }
    this.busy = true;
    try {
      const user = await this.users.create({
        id: newId(),
        username: request.username,
        displayName: request.displayName,
        email: null,
        title: null,
        passwordHash: await hashPassword(request.password),
        presence: 'available',
        createdAt: nowIso(),
      });
      const admins = await this.groups.findOrCreate(this.options.adminsGroup ?? DEFAULT_ADMINS_GROUP);
      await this.groups.addMember(admins.id, user.id);
      this.token = null;
      this.logger.log(
        { event: 'auth.setup_done', username: user.username },
        `First administrator ${JSON.stringify(user.username)} created; setup is closed`,
      );
      return await this.auth.openSession(user);
    } finally {
      this.busy = false;
    }
  }
}
