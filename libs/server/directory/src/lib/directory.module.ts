import { SocketAuthentication } from './auth/socket-authentication';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SessionGuard } from './auth/session.guard';
import { AuthController } from './controllers/auth.controller';
import { PostsController } from './controllers/posts.controller';
import { RoomsController } from './controllers/rooms.controller';
import { UsersController } from './controllers/users.controller';
import { DirectoryConfigurableModule } from './directory.options';
import { DIRECTORY_ENTITIES } from './entities';
import { DirectoryGateway } from './gateway/directory.gateway';
import {
  GroupRepository,
  MessageRepository,
  PostRepository,
  RoomRepository,
  SessionRepository,
  UserRepository,
} from './repositories';
import { AuthService } from './services/auth.service';
import { DirectoryEvents } from './services/directory-events.service';
import { FirstAdminSetup } from './services/first-admin-setup.service';
import { LOGIN_THROTTLE_STORAGE, LoginThrottle } from './services/login-throttle.service';
import { PostService } from './services/post.service';
import { PresenceRegistry } from './services/presence-registry.service';
import { RoomCommands } from './services/room-commands.service';
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
  controllers: [AuthController, UsersController, RoomsController, PostsController],
  providers: [
    UserRepository,
    GroupRepository,
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
    AuthService,
    SocketAuthentication,
    RoomCommands,
    RoomService,
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
    RoomService,
    RoomCommands,
    PostService,
    SeedService,
    DirectoryEvents,
    SessionGuard,
  ],
})
export class DirectoryModule extends DirectoryConfigurableModule {}
