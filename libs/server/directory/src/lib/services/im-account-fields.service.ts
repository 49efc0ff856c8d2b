import { Injectable } from '@nestjs/common';
import type { ImAccountField } from '@parley/protocol';

/** What a provider type stands for on profiles: unknown, or its IM field (null: it declares none). */
export type ImAccountFieldLookup = (
  providerType: string,
) => { title: string; field: ImAccountField | null } | null;

/**
 * Extension point for the IM fields of call providers: the directory stores users' IM accounts
 * but knows no providers, so the library that holds them (the calls library, over the provider
 * registry) installs the lookup. Without one every provider type is unknown.
 */
@Injectable()
export class ImAccountFields {
  private lookup: ImAccountFieldLookup = () => null;

  use(lookup: ImAccountFieldLookup): void {
    this.lookup = lookup;
  }

  /** The provider's title and IM field, or null when no usable provider has this type. */
  of(providerType: string): { title: string; field: ImAccountField | null } | null {
    return this.lookup(providerType);
  }
}
