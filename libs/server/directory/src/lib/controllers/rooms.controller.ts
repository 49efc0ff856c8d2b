import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { ChatMessage, RoomSummary } from '@parley/protocol';
import { CurrentUser } from '../auth/auth.decorators';
import {
  ChatMessageDto,
  DirectRoomDto,
  MessagesQueryDto,
  RoomSummaryDto,
  SendMessageDto,
} from '../dto/directory.dto';
import type { UserEntity } from '../entities';
import { RoomResolver } from '../services/room-resolver.service';
import { RoomService } from '../services/room.service';

@ApiTags('rooms')
@ApiCookieAuth()
@Controller('api/rooms')
export class RoomsController {
  constructor(
    private readonly rooms: RoomService,
    private readonly resolver: RoomResolver,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Rooms I am a member of, most recently active first' })
  @ApiOkResponse({ type: [RoomSummaryDto] })
  list(@CurrentUser() user: UserEntity): Promise<RoomSummary[]> {
    return this.rooms.listFor(user.id);
  }

  @Post('direct')
  @ApiOperation({ summary: 'Get or create the direct-message room with a user' })
  @ApiOkResponse({ type: RoomSummaryDto })
  @ApiNotFoundResponse({ description: 'Unknown user' })
  direct(@CurrentUser() user: UserEntity, @Body() body: DirectRoomDto): Promise<RoomSummary> {
    return this.rooms.getOrCreateDirect(user.id, body.userId);
  }

  // `:id` is a room's id or its slug (`town-square`), resolved by RoomResolver.
  @Get(':id')
  @ApiOperation({ summary: 'A room by id or slug (members only)' })
  @ApiOkResponse({ type: RoomSummaryDto })
  @ApiForbiddenResponse({ description: 'Not a member' })
  @ApiNotFoundResponse({ description: 'Unknown room' })
  async get(@CurrentUser() user: UserEntity, @Param('id') id: string): Promise<RoomSummary> {
    return this.rooms.getFor(await this.resolver.idOf(id), user.id);
  }

  @Get(':id/messages')
  @ApiOperation({
    summary:
      'Root messages of a room (with replyCount), or the replies of a thread (`thread`), newest first, paged backwards with `before`',
  })
  @ApiOkResponse({ type: [ChatMessageDto] })
  @ApiBadRequestResponse({ description: '`thread` is a reply, not a thread root' })
  @ApiForbiddenResponse({ description: 'Not a member' })
  @ApiNotFoundResponse({ description: 'Unknown room, or a thread not in this room' })
  async messages(
    @CurrentUser() user: UserEntity,
    @Param('id') id: string,
    @Query() query: MessagesQueryDto,
  ): Promise<ChatMessage[]> {
    return this.rooms.messagesFor(
      await this.resolver.idOf(id),
      user.id,
      query.limit,
      query.before,
      query.thread,
    );
  }

  @Post(':id/messages')
  @ApiOperation({
    summary: 'Send a message (a reply with `threadId`); pushed to the members as room.message',
  })
  @ApiCreatedResponse({ type: ChatMessageDto })
  @ApiForbiddenResponse({ description: 'Not a member' })
  @ApiNotFoundResponse({ description: 'Unknown room' })
  async send(
    @CurrentUser() user: UserEntity,
    @Param('id') id: string,
    @Body() body: SendMessageDto,
  ): Promise<ChatMessage> {
    return this.rooms.send(await this.resolver.idOf(id), user.id, body.body, body.threadId);
  }
}
