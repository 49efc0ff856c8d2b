import { Injectable } from '@nestjs/common';
import type { AuditEntry } from '@parley/protocol';
import { AuditLogRepository } from '../repositories';
import { newId, nowIso } from '../util/time';

/** Who made an admin change. */
export interface Actor {
  id: string;
  displayName: string;
}

export const REDACTED = '[redacted]';

/** Admin changes: who, when, what. Callers pass details with secrets already replaced by {@link REDACTED}. */
@Injectable()
export class AuditService {
  constructor(private readonly rows: AuditLogRepository) {}

  async record(
    actor: Actor,
    action: string,
    target: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.rows.insert({
      id: newId(),
      at: nowIso(),
      actorId: actor.id,
      actorName: actor.displayName,
      action,
      target,
      details: JSON.stringify(details),
    });
  }

  async list(limit = 50, before?: string): Promise<AuditEntry[]> {
    return (await this.rows.list(limit, before)).map((row) => ({
      id: row.id,
      at: row.at,
      actorId: row.actorId,
      actorName: row.actorName,
      action: row.action,
      target: row.target,
      details: JSON.parse(row.details) as Record<string, unknown>,
    }));
  }
}
