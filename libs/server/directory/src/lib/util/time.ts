import { randomUUID } from 'node:crypto';

/** Times are stored as ISO 8601 strings (`2026-01-01T12:00:00.000Z`), which sort as text. */
export function nowIso(): string {
  return new Date().toISOString();
}

export function newId(): string {
  return randomUUID();
}
