import { GroupEntity, MembershipEntity } from './group.entity';
import { ImAccountEntity } from './im-account.entity';
import { MessageEntity, PostEntity } from './message.entity';
import { RoomEntity, RoomMemberEntity } from './room.entity';
import { SessionEntity } from './session.entity';
import { UserEntity } from './user.entity';

export {
  GroupEntity,
  ImAccountEntity,
  MembershipEntity,
  MessageEntity,
  PostEntity,
  RoomEntity,
  RoomMemberEntity,
  SessionEntity,
  UserEntity,
};

/** Every entity of the directory, for `TypeOrmModule.forRoot({ entities })`. */
export const DIRECTORY_ENTITIES = [
  UserEntity,
  GroupEntity,
  MembershipEntity,
  RoomEntity,
  RoomMemberEntity,
  MessageEntity,
  PostEntity,
  SessionEntity,
  ImAccountEntity,
];
