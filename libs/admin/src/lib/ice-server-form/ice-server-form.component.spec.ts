import { API, type AdminIceServer } from '@parley/protocol';
import { renderComponent } from '../testing';
import { IceServerFormComponent } from './ice-server-form.component';

const stored: AdminIceServer = {
  id: 's1',
  label: 'Office TURN',
  urls: ['turn:turn.example.test:3478'],
  credentialType: 'rest',
  username: null,
  credential: { set: false },
  sharedSecret: { set: true },
  ttlSeconds: 600,
  enabled: true,
  order: 0,
  isDefault: false,
  updatedAt: '2026-01-01T00:00:00Z',
};

describe('IceServerFormComponent', () => {
  const render = (server: AdminIceServer | null) => renderComponent(IceServerFormComponent, { server });

  it('shows the fields of the credential type, each input labelled', async () => {
    const { fixture, el, byId } = await render(null);
    expect(byId('ice-label')?.placeholder).toBe('Office TURN');
    expect(byId('ice-username')).toBeNull();
    byId('ice-credential-type-static')?.dispatchEvent(new Event('change'));
    await fixture.whenStable();
    expect(byId('ice-username')?.getAttribute('autocomplete')).toBe('off');
    expect(byId('ice-credential')?.type).toBe('password');
    expect(byId('ice-credential-state')?.textContent?.trim()).toBe('not set');
    for (const input of Array.from(el.querySelectorAll('input:not([type=radio]):not([type=checkbox])'))) {
      expect(el.querySelector(`label[for="${input.id}"]`)).not.toBeNull();
    }
  });

  it('shows a stored secret as set, keeps it when left empty, and shows the server errors by field', async () => {
    const { fixture, byId, http } = await render(stored);
    expect(byId('ice-shared-secret-state')?.textContent?.trim()).toBe('set');
    expect(byId('ice-shared-secret')?.placeholder).toBe('Stored — type to replace');
    expect(byId('ice-ttl')?.value).toBe('600');
    const ttl = byId('ice-ttl') as HTMLInputElement;
    ttl.value = '5';
    ttl.dispatchEvent(new Event('input'));
    byId('ice-save')?.click();
    const request = http.expectOne(API.adminIceServer('s1'));
    expect(request.request.body).toEqual({
      label: 'Office TURN',
      urls: ['turn:turn.example.test:3478'],
      credentialType: 'rest',
      enabled: true,
      ttlSeconds: 5,
    });
    request.flush(
      {
        statusCode: 400,
        error: 'Bad Request',
        message: 'Invalid ICE server: ttlSeconds: ttlSeconds must be an integer 60-604800',
        errors: [{ field: 'ttlSeconds', message: 'ttlSeconds must be an integer 60-604800' }],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await fixture.whenStable();
    expect(byId('ice-error-ttlSeconds')?.textContent).toContain('60-604800');
    expect(byId('ice-form-error')?.textContent).toContain('Nothing was saved');
  });
});
