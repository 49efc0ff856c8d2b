import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Registry state of one provider: active flag, settings (secrets encrypted), order. */
@Entity({ name: 'provider_configs' })
export class ProviderConfigEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  type!: string;

  @Column({ type: 'boolean' })
  active!: boolean;

  /** JSON object; secret (`writeOnly`) values are `v1:<base64>` AES-256-GCM ciphertexts. */
  @Column({ type: 'text' })
  settings!: string;

  @Column({ type: 'integer' })
  position!: number;

  @Column({ name: 'updated_at', type: 'varchar', length: 32 })
  updatedAt!: string;

  /** Display name of the admin who last changed it; null for the initial row. */
  @Column({ name: 'updated_by', type: 'varchar', length: 200, nullable: true })
  updatedBy!: string | null;
}

@Entity({ name: 'ice_servers' })
export class IceServerEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  label!: string;

  /** JSON array of URLs. */
  @Column({ type: 'text' })
  urls!: string;

  @Column({ name: 'credential_type', type: 'varchar', length: 16 })
  credentialType!: 'none' | 'static' | 'rest';

  @Column({ type: 'varchar', length: 200, nullable: true })
  username!: string | null;

  /** Encrypted static credential. */
  @Column({ type: 'text', nullable: true })
  credential!: string | null;

  /** Encrypted TURN REST shared secret. */
  @Column({ name: 'shared_secret', type: 'text', nullable: true })
  sharedSecret!: string | null;

  @Column({ name: 'ttl_seconds', type: 'integer', nullable: true })
  ttlSeconds!: number | null;

  @Column({ type: 'boolean' })
  enabled!: boolean;

  @Column({ type: 'integer' })
  position!: number;

  @Column({ name: 'is_default', type: 'boolean' })
  isDefault!: boolean;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 32 })
  updatedAt!: string;
}

/** Small key/value settings of the conferencing module (e.g. the ICE transport policy). */
@Entity({ name: 'conferencing_settings' })
export class ConferencingSettingEntity {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  key!: string;

  @Column({ type: 'text' })
  value!: string;
}

@Entity({ name: 'audit_log' })
export class AuditLogEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 32 })
  at!: string;

  @Column({ name: 'actor_id', type: 'varchar', length: 36 })
  actorId!: string;

  @Column({ name: 'actor_name', type: 'varchar', length: 200 })
  actorName!: string;

  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ type: 'varchar', length: 200 })
  target!: string;

  /** JSON object, secrets already redacted. */
  @Column({ type: 'text' })
  details!: string;
}

/** Every entity of the conferencing module, for `TypeOrmModule.forRoot({ entities })`. */
export const CONFERENCING_ENTITIES = [
  ProviderConfigEntity,
  IceServerEntity,
  ConferencingSettingEntity,
  AuditLogEntity,
];
