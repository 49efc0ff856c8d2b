import { Injectable, type OnModuleInit } from '@nestjs/common';
import { SocketError } from '@parley/connector-sdk';
import type { UserProfile } from '@parley/protocol';
import { ProviderRegistry } from '@parley/server-conferencing';
import { ImAccountFields, ImAccountService } from '@parley/server-directory';

/**
 * Users' IM accounts (stored by the directory) on the call path: it tells the directory which
 * providers declare an IM field (the usable ones, from the registry), and reads the accounts of
 * a one-to-one call's two users for its provider, so the connector gets them (`call.imAccounts`).
 */
@Injectable()
export class CallImAccounts implements OnModuleInit {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly fields: ImAccountFields,
    private readonly accounts: ImAccountService,
  ) {}

  onModuleInit(): void {
    this.fields.use((type) => {
      const provider = this.registry.usable().find((p) => p.type === type);
      return provider ? { title: provider.title, field: provider.imAccount } : null;
    });
  }

  /**
   * The accounts of both users for a provider that declares an IM field, by user id (undefined
   * when it declares none). Refused when the callee has no account: the provider needs it.
   */
  async forCall(
    providerType: string,
    caller: UserProfile,
    callee: UserProfile,
  ): Promise<Readonly<Record<string, string>> | undefined> {
    const field = this.registry.usable().find((p) => p.type === providerType)?.imAccount;
    if (!field) return undefined;
    const values = await this.accounts.valuesFor(providerType, [caller.id, callee.id]);
    if (!values.has(callee.id)) {
      throw new SocketError('bad_request', `${callee.displayName} has no ${field.label}`);
    }
    return Object.fromEntries(values);
  }
}
