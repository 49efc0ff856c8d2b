import type {
  CallKind,
  CallOutcome,
  CallParticipantState,
  CallState,
  CallTargetKind,
} from '@parley/protocol';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { RecordingEntity } from './recording.entity';

export * from './recording.entity';

/** One call (a row per call instance). Times are ISO 8601 strings. */
@Entity({ name: 'calls' })
export class CallEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'provider_type', type: 'varchar', length: 40 })
  providerType!: string;

  @Column({ name: 'target_kind', type: 'varchar', length: 16 })
  targetKind!: CallTargetKind;

  /** The callee (one-to-one) or the room/space id (group). */
  @Column({ name: 'target_id', type: 'varchar', length: 36 })
  targetId!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: CallKind;

  @Column({ name: 'caller_id', type: 'varchar', length: 36 })
  callerId!: string;

  @Column({ name: 'owner_id', type: 'varchar', length: 36 })
  ownerId!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: CallState;

  @Column({ type: 'varchar', length: 16, nullable: true })
  outcome!: CallOutcome | null;

  @Column({ name: 'end_reason', type: 'varchar', length: 300, nullable: true })
  endReason!: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;

  @Column({ name: 'answered_at', type: 'varchar', length: 32, nullable: true })
  answeredAt!: string | null;

  @Column({ name: 'ended_at', type: 'varchar', length: 32, nullable: true })
  endedAt!: string | null;

  @Column({ name: 'duration_ms', type: 'integer', default: 0 })
  durationMs!: number;
}

@Entity({ name: 'call_participants' })
@Index('idx_call_participants_user', ['userId'])
export class CallParticipantEntity {
  @PrimaryColumn({ name: 'call_id', type: 'varchar', length: 36 })
  callId!: string;

  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 })
  userId!: string;

  /** 0 = the caller, then the callees in invitation order. */
  @Column({ type: 'integer' })
  position!: number;

  @Column({ type: 'varchar', length: 16 })
  state!: CallParticipantState;

  @Column({ name: 'joined_at', type: 'varchar', length: 32, nullable: true })
  joinedAt!: string | null;

  @Column({ name: 'left_at', type: 'varchar', length: 32, nullable: true })
  leftAt!: string | null;
}

/** Every transition of a call (created, ringing, answered, joined, left, ended, ...). */
@Entity({ name: 'call_events' })
@Index('idx_call_events_call', ['callId'])
export class CallEventEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'call_id', type: 'varchar', length: 36 })
  callId!: string;

  @Column({ type: 'varchar', length: 32 })
  type!: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36, nullable: true })
  userId!: string | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  detail!: string | null;

  @Column({ type: 'varchar', length: 32 })
  at!: string;
}

/** A user's preferences as JSON (`UserPreferences`). */
@Entity({ name: 'user_preferences' })
export class UserPreferenceEntity {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 })
  userId!: string;

  @Column({ type: 'text' })
  data!: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 32 })
  updatedAt!: string;
}

export const CALLS_ENTITIES = [
  CallEntity,
  CallParticipantEntity,
  CallEventEntity,
  UserPreferenceEntity,
  RecordingEntity,
];
