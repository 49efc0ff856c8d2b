import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { type ImAccountField, MAX_IM_ACCOUNT_LENGTH, type UserImAccount } from '@parley/protocol';
import { ImAccountRepository, UserRepository } from '../repositories';
import { nowIso } from '../util/time';
import { ImAccountFields } from './im-account-fields.service';

/** Why `value` is not a valid account for `field`, or null when it is. */
export function imAccountProblem(field: ImAccountField, value: string): string | null {
  if (value === '') return `${field.label} must not be empty`;
  if (value.length > MAX_IM_ACCOUNT_LENGTH) {
    return `${field.label} must be at most ${MAX_IM_ACCOUNT_LENGTH} characters`;
  }
  if (field.pattern !== undefined && !matches(field.pattern, value)) {
    const hint = field.placeholder ? ` (for example ${field.placeholder})` : '';
    return `"${value}" is not a valid ${field.label}${hint}`;
  }
  return null;
}

/** The provider's pattern, unanchored as in JSON Schema; a pattern that does not compile refuses all. */
function matches(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(value);
  } catch {
    return false;
  }
}

/**
 * Users' IM accounts (eXo's "IM" entries): one value per user and call provider that declares an
 * `imAccount` field, checked against that field. Anyone signed in reads them (profiles are
 * visible to every signed-in user); a user sets only their own.
 */
@Injectable()
export class ImAccountService {
  constructor(
    private readonly accounts: ImAccountRepository,
    private readonly users: UserRepository,
    private readonly fields: ImAccountFields,
  ) {}

  /** A user's accounts, by provider type; 404 for an unknown user. */
  async list(userId: string): Promise<UserImAccount[]> {
    if (!(await this.users.findById(userId))) throw new NotFoundException(`User ${userId} not found`);
    return (await this.accounts.listOf(userId)).map(({ providerType, value }) => ({ providerType, value }));
  }

  /** Sets the user's account for a usable provider that declares an IM field; 400 otherwise. */
  async set(userId: string, providerType: string, raw: string): Promise<UserImAccount> {
    const field = this.fieldOf(providerType);
    const value = typeof raw === 'string' ? raw.trim() : '';
    const problem = imAccountProblem(field, value);
    if (problem) throw new BadRequestException(problem);
    await this.accounts.save({ userId, providerType, value, updatedAt: nowIso() });
    return { providerType, value };
  }

  /** Removes the user's account for the provider (whatever the provider's state); 404 when none. */
  async remove(userId: string, providerType: string): Promise<void> {
    if (!(await this.accounts.delete(userId, providerType))) {
      throw new NotFoundException(`You have no account for ${providerType}`);
    }
  }

  /** These users' values for one provider, by user id (the call path: one query). */
  async valuesFor(providerType: string, userIds: string[]): Promise<Map<string, string>> {
    const rows = await this.accounts.forProvider(providerType, [...new Set(userIds)]);
    return new Map(rows.map((row) => [row.userId, row.value]));
  }

  private fieldOf(providerType: string): ImAccountField {
    const provider = this.fields.of(providerType);
    if (!provider) throw new BadRequestException(`There is no active call provider "${providerType}"`);
    if (!provider.field) {
      throw new BadRequestException(`${provider.title} does not use IM accounts`);
    }
    return provider.field;
  }
}
