import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One sign-in (the `sid` claim of its token). A revoked session (logout) answers 401 on REST and
 * at the socket handshake even while its token has not expired.
 */
@Entity({ name: 'sessions' })
export class SessionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId!: string;

  /** ISO 8601, like every time in the schema. */
  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;

  @Column({ name: 'expires_at', type: 'varchar', length: 32 })
  expiresAt!: string;

  /** Set by logout; null while the session is live. */
  @Column({ name: 'revoked_at', type: 'varchar', length: 32, nullable: true })
  revokedAt!: string | null;
}
