import type { Presence } from '@parley/protocol';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 100, unique: true })
  username!: string;

  @Column({ name: 'display_name', type: 'varchar', length: 200 })
  displayName!: string;

  @Column({ type: 'varchar', length: 320, nullable: true })
  email!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  title!: string | null;

  /** `scrypt$<salt>$<hash>`; null for users who only sign in through the host portal. */
  @Column({ name: 'password_hash', type: 'varchar', length: 255, nullable: true })
  passwordHash!: string | null;

  /** The status the user chose; what others see is `offline` while no tab is connected. */
  @Column({ type: 'varchar', length: 16, default: 'available' })
  presence!: Presence;

  /** ISO 8601 (UTC, millisecond precision): sorts as text on every driver. */
  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;
}
