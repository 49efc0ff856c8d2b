import { API } from './rest';
import { CALL_TARGET_KINDS, PROVIDER_CAPABILITIES } from './providers';
import { ICE_CREDENTIAL_TYPES, ICE_TRANSPORT_POLICIES } from './ice';

describe('provider and ICE protocol', () => {
  it('lists every target kind, capability, credential type and policy once', () => {
    expect(new Set(CALL_TARGET_KINDS).size).toBe(3);
    expect(new Set(PROVIDER_CAPABILITIES).size).toBe(PROVIDER_CAPABILITIES.length);
    expect(new Set(ICE_CREDENTIAL_TYPES).size).toBe(3);
    expect(new Set(ICE_TRANSPORT_POLICIES).size).toBe(2);
  });

  it('encodes provider types and ICE ids in REST paths', () => {
    expect(API.providerClient('a b')).toBe('/api/providers/a%20b/client.js');
    expect(API.adminProvider('x/y')).toBe('/api/admin/providers/x%2Fy');
    expect(API.adminIceServerTest('1')).toBe('/api/admin/ice-servers/1/test');
  });
});
