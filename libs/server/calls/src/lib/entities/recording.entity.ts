import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Why a recording stopped. */
export type RecordingStopReason = 'stopped' | 'limit' | 'failed' | 'call-ended' | 'shutdown' | 'interrupted';

/**
 * A call recording: the file lives under RECORDINGS_DIR at `relativePath`; the room's members may
 * download it. Times are ISO 8601 strings; `stoppedAt` null while it records.
 */
@Entity({ name: 'recordings' })
@Index('idx_recordings_call', ['callId'])
@Index('idx_recordings_stopped', ['stoppedAt'])
export class RecordingEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'call_id', type: 'varchar', length: 36 })
  callId!: string;

  @Column({ name: 'room_id', type: 'varchar', length: 36 })
  roomId!: string;

  /** Offered on download, e.g. `call-2026-11-22-1930.webm`. */
  @Column({ name: 'file_name', type: 'varchar', length: 200 })
  fileName!: string;

  /** Path of the file relative to RECORDINGS_DIR (never absolute, never `..`). */
  @Column({ name: 'relative_path', type: 'varchar', length: 300 })
  relativePath!: string;

  @Column({ name: 'mime_type', type: 'varchar', length: 100 })
  mimeType!: string;

  @Column({
    name: 'size_bytes',
    type: 'bigint',
    default: 0,
    transformer: { to: (v: number) => v, from: Number },
  })
  sizeBytes!: number;

  @Column({ name: 'duration_ms', type: 'integer', default: 0 })
  durationMs!: number;

  @Column({ name: 'started_by', type: 'varchar', length: 36 })
  startedBy!: string;

  @Column({ name: 'started_at', type: 'varchar', length: 32 })
  startedAt!: string;

  @Column({ name: 'stopped_at', type: 'varchar', length: 32, nullable: true })
  stoppedAt!: string | null;

  @Column({ name: 'stop_reason', type: 'varchar', length: 32, nullable: true })
  stopReason!: RecordingStopReason | null;

  /** The message in the call's thread that offers the file; null until posted (or never posted). */
  @Column({ name: 'message_id', type: 'varchar', length: 36, nullable: true })
  messageId!: string | null;
}
