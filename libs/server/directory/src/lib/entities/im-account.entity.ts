import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A user's account for one call provider's IM field (eXo's "IM" entries on profiles). */
@Entity({ name: 'im_accounts' })
export class ImAccountEntity {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 })
  userId!: string;

  /** The provider's `type` (`bbb`); rows of a provider that is gone stay, unused. */
  @PrimaryColumn({ name: 'provider_type', type: 'varchar', length: 40 })
  providerType!: string;

  @Column({ type: 'varchar', length: 200 })
  value!: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 32 })
  updatedAt!: string;
}
