import { BadRequestException, NotFoundException } from '@nestjs/common';
import type { ImAccountEntity, UserEntity } from '../entities';
import type { ImAccountRepository, UserRepository } from '../repositories';
import { ImAccountFields } from './im-account-fields.service';
import { ImAccountService, imAccountProblem } from './im-account.service';

const SKYPE = { label: 'Skype name', pattern: '^[a-z][a-z0-9.]{5,31}$', placeholder: 'jane.doe' };

function setUp() {
  const saved: ImAccountEntity[] = [];
  const accounts = {
    save: async (row: ImAccountEntity) => void saved.push(row),
    listOf: async (userId: string) => saved.filter((r) => r.userId === userId),
  } as unknown as ImAccountRepository;
  const users = {
    findById: async (id: string) => (id === 'bob' ? ({ id } as UserEntity) : null),
  } as unknown as UserRepository;
  const fields = new ImAccountFields();
  fields.use((type) =>
    type === 'skype'
      ? { title: 'Skype', field: SKYPE }
      : type === 'webrtc'
        ? { title: 'Built-in WebRTC', field: null }
        : null,
  );
  return { service: new ImAccountService(accounts, users, fields), saved };
}

describe('ImAccountService', () => {
  it('checks a value against the provider field: empty, too long, pattern (with the example)', () => {
    expect(imAccountProblem(SKYPE, 'jane.doe')).toBeNull();
    expect(imAccountProblem(SKYPE, '')).toBe('Skype name must not be empty');
    expect(imAccountProblem(SKYPE, 'x'.repeat(201))).toBe('Skype name must be at most 200 characters');
    expect(imAccountProblem(SKYPE, 'Jane Doe')).toBe(
      '"Jane Doe" is not a valid Skype name (for example jane.doe)',
    );
    expect(imAccountProblem({ label: 'Id' }, 'anything at all')).toBeNull();
    // A provider's pattern that does not compile refuses every value rather than throwing.
    expect(imAccountProblem({ label: 'Id', pattern: '(' }, 'x')).toBe('"x" is not a valid Id');
  });

  it('stores a valid, trimmed value for a provider with an IM field', async () => {
    const { service, saved } = setUp();
    await expect(service.set('bob', 'skype', '  bob.nguyen ')).resolves.toEqual({
      providerType: 'skype',
      value: 'bob.nguyen',
    });
    expect(saved).toMatchObject([{ userId: 'bob', providerType: 'skype', value: 'bob.nguyen' }]);
    await expect(service.list('bob')).resolves.toEqual([{ providerType: 'skype', value: 'bob.nguyen' }]);
  });

  it('refuses unknown providers, providers without an IM field and invalid values with a 400', async () => {
    const { service, saved } = setUp();
    await expect(service.set('bob', 'zoom', 'bob')).rejects.toThrow(
      new BadRequestException('There is no active call provider "zoom"'),
    );
    await expect(service.set('bob', 'webrtc', 'bob')).rejects.toThrow(
      new BadRequestException('Built-in WebRTC does not use IM accounts'),
    );
    await expect(service.set('bob', 'skype', 'Bob!')).rejects.toThrow(BadRequestException);
    expect(saved).toEqual([]);
  });

  it('lists the accounts of known users only', async () => {
    await expect(setUp().service.list('nobody')).rejects.toThrow(NotFoundException);
  });
});
