import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  type ActivityPost,
  type ChatMessage,
  type CreatePostRequest,
  type DirectRoomRequest,
  type LoginRequest,
  MAX_IM_ACCOUNT_LENGTH,
  type MessageAttachment,
  type MessagesQuery,
  type PortalTokenRequest,
  type Presence,
  PRESENCES,
  type RoomKind,
  ROOM_KINDS,
  type RoomSummary,
  type SendMessageRequest,
  type SessionInfo,
  type SessionResponse,
  type SetImAccountRequest,
  type SetPresenceRequest,
  type SetupRequest,
  type UserImAccount,
  type UserProfile,
  type UserSummary,
} from '@parley/protocol';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { MAX_BODY_LENGTH, MAX_MESSAGES_LIMIT } from '../services/room.service';

/** A non-empty string, at most `maxLength` characters when given (IsString, IsNotEmpty, MaxLength). */
export function NonEmptyString(maxLength?: number): PropertyDecorator {
  // Registered in the order stacked decorators would be (bottom first): the same messages, same order.
  return applyDecorators(
    ...(maxLength === undefined ? [] : [MaxLength(maxLength)]),
    IsNotEmpty(),
    IsString(),
  );
}

// Requests (validated by the global ValidationPipe and by the socket gateway).

export class LoginDto implements LoginRequest {
  @ApiProperty({ example: 'alice' })
  @NonEmptyString(100)
  username!: string;

  @ApiProperty({ example: 'parley' })
  @NonEmptyString(200)
  password!: string;
}

export class PortalTokenDto implements PortalTokenRequest {
  @ApiProperty({ description: 'JWT signed by the host portal (HS256 or RS256)' })
  @NonEmptyString()
  token!: string;
}

export class SetupDto implements SetupRequest {
  @ApiProperty({ description: 'The one-time setup token printed in the server log at start-up' })
  @NonEmptyString(200)
  token!: string;

  @ApiProperty({ example: 'admin', pattern: '^[a-z0-9][a-z0-9._-]*$' })
  @Matches(/^[a-z0-9][a-z0-9._-]*$/, {
    message: 'username must be lower-case letters, digits, dots, dashes or underscores',
  })
  @NonEmptyString(100)
  username!: string;

  @ApiProperty({ minLength: 12 })
  @MinLength(12, { message: 'password must be at least 12 characters' })
  @NonEmptyString(200)
  password!: string;

  @ApiProperty({ example: 'Site Administrator' })
  @NonEmptyString(200)
  displayName!: string;
}

export class SetPresenceDto implements SetPresenceRequest {
  @ApiProperty({ enum: PRESENCES })
  @IsIn(PRESENCES as Presence[], { message: `presence must be one of: ${PRESENCES.join(', ')}` })
  presence!: Presence;
}

export class SetImAccountDto implements SetImAccountRequest {
  @ApiProperty({ maxLength: MAX_IM_ACCOUNT_LENGTH, example: 'jane.doe' })
  @NonEmptyString(MAX_IM_ACCOUNT_LENGTH)
  value!: string;
}

export class UserImAccountDto implements UserImAccount {
  @ApiProperty({ example: 'bbb' })
  providerType!: string;

  @ApiProperty({ example: 'jane.doe' })
  value!: string;
}

export class SendMessageDto implements SendMessageRequest {
  @ApiProperty({ maxLength: MAX_BODY_LENGTH })
  @NonEmptyString(MAX_BODY_LENGTH)
  body!: string;

  @ApiPropertyOptional({ description: 'Reply in this thread: a root message id of the same room' })
  @IsOptional()
  @NonEmptyString(36)
  threadId?: string;
}

/** Room, user and message ids are UUIDs; 64 leaves room for other id formats, and no more. */
const MAX_ID_LENGTH = 64;

export class SocketSendMessageDto extends SendMessageDto {
  @NonEmptyString(MAX_ID_LENGTH)
  roomId!: string;
}

export class DirectRoomDto implements DirectRoomRequest {
  @ApiProperty({ description: 'Id of the other user' })
  @NonEmptyString(MAX_ID_LENGTH)
  userId!: string;
}

export class CreatePostDto implements CreatePostRequest {
  @ApiProperty({ maxLength: MAX_BODY_LENGTH })
  @NonEmptyString(MAX_BODY_LENGTH)
  body!: string;
}

export class PageQueryDto implements MessagesQuery {
  @ApiPropertyOptional({ description: 'ISO time: only entries strictly older than this' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'before must be an ISO 8601 time' })
  before?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_MESSAGES_LIMIT, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_MESSAGES_LIMIT)
  limit?: number;
}

export class MessagesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description: "A root message id: that thread's replies instead of the root messages",
  })
  @IsOptional()
  @NonEmptyString(36)
  thread?: string;
}

// Responses (for the OpenAPI document only).

export class UserSummaryDto implements UserSummary {
  @ApiProperty() id!: string;
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ example: '/api/users/0b6c…/avatar.svg' }) avatarUrl!: string;
  @ApiProperty({ enum: PRESENCES }) presence!: Presence;
}

export class UserProfileDto extends UserSummaryDto implements UserProfile {
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ type: String, nullable: true }) title!: string | null;
  @ApiProperty({ type: [String] }) groups!: string[];
  @ApiProperty() isAdmin!: boolean;
}

export class SessionInfoDto implements SessionInfo {
  @ApiProperty({ type: UserProfileDto }) user!: UserProfile;
  @ApiProperty() expiresAt!: string;
}

export class SessionResponseDto extends SessionInfoDto implements SessionResponse {
  @ApiProperty({ description: 'Only for clients that are not browsers (no Origin header)' })
  token!: string;
}

export class RoomSummaryDto implements RoomSummary {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ROOM_KINDS }) kind!: RoomKind;
  @ApiProperty() name!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: [String] }) memberIds!: string[];
  @ApiProperty({ type: String, nullable: true }) lastMessageAt!: string | null;
}

export class MessageAttachmentDto implements MessageAttachment {
  @ApiProperty({ enum: ['recording'] }) kind!: 'recording';
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'call-2026-11-22-1930.webm' }) name!: string;
  @ApiProperty({ example: 'video/webm' }) mimeType!: string;
  @ApiProperty() sizeBytes!: number;
  @ApiProperty() durationMs!: number;
  @ApiProperty({ example: '/api/recordings/…/file' }) url!: string;
}

export class ChatMessageDto implements ChatMessage {
  @ApiProperty() id!: string;
  @ApiProperty() roomId!: string;
  @ApiProperty() authorId!: string;
  @ApiProperty() body!: string;
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Replies: the root message id' })
  threadId?: string | null;
  @ApiPropertyOptional({ description: 'Root messages: number of replies' }) replyCount?: number;
  @ApiPropertyOptional({ type: MessageAttachmentDto, nullable: true }) attachment?: MessageAttachment | null;
}

export class ActivityPostDto implements ActivityPost {
  @ApiProperty() id!: string;
  @ApiProperty() authorId!: string;
  @ApiProperty() body!: string;
  @ApiProperty() createdAt!: string;
}
