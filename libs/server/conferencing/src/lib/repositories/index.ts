import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import {
  AuditLogEntity,
  ConferencingSettingEntity,
  IceServerEntity,
  ProviderConfigEntity,
} from '../entities';

@Injectable()
export class ProviderConfigRepository {
  constructor(
    @InjectRepository(ProviderConfigEntity) private readonly rows: Repository<ProviderConfigEntity>,
  ) {}

  list(): Promise<ProviderConfigEntity[]> {
    return this.rows.find({ order: { position: 'ASC', type: 'ASC' } });
  }

  async save(row: ProviderConfigEntity): Promise<void> {
    await this.rows.save(row);
  }

  /** Saves several rows in one transaction (reorder). */
  async saveAll(rows: ProviderConfigEntity[]): Promise<void> {
    await this.rows.manager.transaction((manager) => manager.save(ProviderConfigEntity, rows));
  }
}

@Injectable()
export class IceServerRepository {
  constructor(@InjectRepository(IceServerEntity) private readonly rows: Repository<IceServerEntity>) {}

  list(): Promise<IceServerEntity[]> {
    return this.rows.find({ order: { position: 'ASC', createdAt: 'ASC' } });
  }

  async save(row: IceServerEntity): Promise<void> {
    await this.rows.save(row);
  }

  async saveAll(rows: IceServerEntity[]): Promise<void> {
    await this.rows.manager.transaction((manager) => manager.save(IceServerEntity, rows));
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
