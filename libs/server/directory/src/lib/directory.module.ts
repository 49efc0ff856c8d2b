import { SocketAuthentication } from './auth/socket-authentication';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SessionGuard } from './auth/session.guard';
import { AuthController } from './controllers/auth.controller';
import { ImAccountsController } from './controllers/im-accounts.controller';
import { PostsController } from './controllers/posts.controller';
import { RoomsController } from './controllers/rooms.controller';
import { UsersController } from './controllers/users.controller';
import { DirectoryConfigurableModule } from './directory.options';
import { DIRECTORY_ENTITIES } from './entities';
import { DirectoryGateway } from './gateway/directory.gateway';
import {
  GroupRepository,
  ImAccountRepository,
  MessageRepository,
  PostRepository,
  RoomRepository,
  SessionRepository,
  UserRepository,
} from './repositories';
import { AuthService } from './services/auth.service';
import { DirectoryEvents } from './services/directory-events.service';
import { FirstAdminSetup } from './services/first-admin-setup.service';
import { ImAccountFields } from './services/im-account-fields.service';
import { ImAccountService } from './services/im-account.service';
import { LOGIN_THROTTLE_STORAGE, LoginThrottle } from './services/login-throttle.service';
import { PostService } from './services/post.service';
import { PresenceRegistry } from './services/presence-registry.service';
import { RoomCommands } from './services/room-commands.service';
import { RoomResolver } from './services/room-resolver.service';
import { RoomService } from './services/room.service';
import { SeedService } from './services/seed.service';
import { SessionRegistry } from './services/session-registry.service';
import { UserService } from './services/user.service';

/**
 * Users, groups, rooms, messages, the activity stream, sessions and the socket gateway.
 * Needs a TypeORM root connection (`TypeOrmModule.forRoot`) with {@link DIRECTORY_ENTITIES} and
 * `DIRECTORY_MIGRATIONS`. Registers {@link SessionGuard} globally: every HTTP route needs a
 * session unless marked `@Public()`.
 */
@Module({
  imports: [TypeOrmModule.forFeature(DIRECTORY_ENTITIES)],
  controllers: [AuthController, UsersController, ImAccountsController, RoomsController, PostsController],
  providers: [
    UserRepository,
    GroupRepository,
    ImAccountRepository,
    RoomRepository,
    MessageRepository,
    PostRepository,
    SessionRepository,
    SessionRegistry,
    // In memory on this node; provide a shared ThrottlerStorage here when nodes multiply.
    { provide: LOGIN_THROTTLE_STORAGE, useClass: ThrottlerStorageService },
    LoginThrottle,
    FirstAdminSetup,
    DirectoryEvents,
    PresenceRegistry,
    UserService,
    ImAccountFields,
    ImAccountService,
    AuthService,
    SocketAuthentication,
    RoomCommands,
    RoomService,
    RoomResolver,
    PostService,
    SeedService,
    DirectoryGateway,
    SessionGuard,
    { provide: APP_GUARD, useExisting: SessionGuard },
  ],
  exports: [
    AuthService,
    SessionRegistry,
    SocketAuthentication,
    UserService,
    ImAccountFields,
    ImAccountService,
    RoomService,
    RoomResolver,
    RoomCommands,
    PostService,
    SeedService,
    DirectoryEvents,
    SessionGuard,
  ],
})
export class DirectoryModule extends DirectoryConfigurableModule {}
