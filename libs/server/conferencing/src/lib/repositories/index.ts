import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type FindOptionsOrder, LessThan, type ObjectLiteral, Repository } from 'typeorm';
import {
  AuditLogEntity,
  ConferencingSettingEntity,
  IceServerEntity,
  ProviderConfigEntity,
} from '../entities';

/** Rows in the admins' order (`position`), saved one by one or, for a reorder, in one transaction. */
abstract class OrderedRows<E extends ObjectLiteral> {
  constructor(
    protected readonly rows: Repository<E>,
    private readonly order: FindOptionsOrder<E>,
  ) {}

  list(): Promise<E[]> {
    return this.rows.find({ order: this.order });
  }

  async save(row: E): Promise<void> {
    await this.rows.save(row);
  }

  /** Saves several rows in one transaction (reorder). */
  async saveAll(rows: E[]): Promise<void> {
    await this.rows.manager.transaction((manager) => manager.save(this.rows.target, rows));
  }
}

@Injectable()
export class ProviderConfigRepository extends OrderedRows<ProviderConfigEntity> {
  constructor(@InjectRepository(ProviderConfigEntity) rows: Repository<ProviderConfigEntity>) {
    super(rows, { position: 'ASC', type: 'ASC' });
  }
}

@Injectable()
export class IceServerRepository extends OrderedRows<IceServerEntity> {
  constructor(@InjectRepository(IceServerEntity) rows: Repository<IceServerEntity>) {
    super(rows, { position: 'ASC', createdAt: 'ASC' });
  }

  async delete(id: string): Promise<void> {
    await this.rows.delete({ id });
  }
}

@Injectable()
export class ConferencingSettingRepository {
  constructor(
    @InjectRepository(ConferencingSettingEntity) private readonly rows: Repository<ConferencingSettingEntity>,
  ) {}

  async get(key: string): Promise<string | null> {
    return (await this.rows.findOneBy({ key }))?.value ?? null;
  }

  async set(key: string, value: string): Promise<void> {
    await this.rows.save({ key, value });
  }
}

@Injectable()
export class AuditLogRepository {
  constructor(@InjectRepository(AuditLogEntity) private readonly rows: Repository<AuditLogEntity>) {}

  async insert(row: AuditLogEntity): Promise<void> {
    await this.rows.insert(row);
  }

  list(limit: number, before?: string): Promise<AuditLogEntity[]> {
    return this.rows.find({
      where: before ? { at: LessThan(before) } : {},
      order: { at: 'DESC', id: 'DESC' },
      take: limit,
    });
  }
}
