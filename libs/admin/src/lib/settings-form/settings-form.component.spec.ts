import { API, type AdminProvider } from '@parley/protocol';
import { renderComponent } from '../testing';
import { SettingsFormComponent } from './settings-form.component';

const provider: AdminProvider = {
  type: 'jitsi',
  title: 'Jitsi Meet',
  version: '1.0.0',
  description: 'Meetings',
  capabilities: ['audio'],
  supportedTargets: ['room'],
  imAccount: null,
  source: { kind: 'builtin' },
  active: true,
  configured: true,
  health: { status: 'ok', reason: null, checkedAt: '2026-01-01T00:00:00Z' },
  order: 0,
  settingsSchema: {
    type: 'object',
    properties: {
      serviceUrl: { type: 'string', title: 'Service URL' },
      appSecret: { type: 'string', title: 'App secret', writeOnly: true },
      ttl: { type: 'integer', title: 'TTL' },
    },
    required: ['serviceUrl', 'appSecret'],
  },
  settings: { serviceUrl: 'https://meet.test', appSecret: { set: true }, ttl: 60 },
  usesIceServers: false,
  updatedAt: null,
  updatedBy: null,
};

describe('SettingsFormComponent', () => {
  async function render() {
    const rendered = await renderComponent(SettingsFormComponent, { provider });
    const type = (id: string, value: string) => {
      const input = rendered.byId(id) as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new Event('input'));
    };
    return { ...rendered, type };
  }

  it('shows stored values, a write-only secret as set, and labels every field', async () => {
    const { el, byId } = await render();
    expect(byId('setting-serviceUrl')?.value).toBe('https://meet.test');
    expect(byId('setting-appSecret')?.value).toBe('');
    expect(byId('secret-state-appSecret')?.textContent?.trim()).toBe('set');
    for (const input of Array.from(el.querySelectorAll('input'))) {
      expect(el.querySelector(`label[for="${input.id}"]`)).not.toBeNull();
    }
  });

  it('shows the stored choice of an enum field (not the first option)', async () => {
    const { byId } = await renderComponent(SettingsFormComponent, {
      provider: {
        ...provider,
        settingsSchema: {
          type: 'object',
          properties: { mode: { type: 'string', title: 'Mode', enum: ['direct', 'relay', 'auto'] } },
        },
        settings: { mode: 'relay' },
      },
    });
    expect((byId('setting-mode') as unknown as HTMLSelectElement | null)?.value).toBe('relay');
  });

  it('shows the server errors under their fields and nothing as saved', async () => {
    const { fixture, byId, type, http } = await render();
    type('setting-serviceUrl', 'nope');
    type('setting-ttl', 'soon');
    (byId('secret-clear-appSecret') as HTMLElement).click();
    await fixture.whenStable();
    (byId('settings-save') as HTMLElement).click();
    const req = http.expectOne(API.adminProvider('jitsi'));
    expect(req.request.body).toEqual({ settings: { serviceUrl: 'nope', ttl: 'soon', appSecret: null } });
    req.flush(
      {
        statusCode: 400,
        error: 'Bad Request',
        message: 'Invalid settings',
        errors: [
          { field: 'serviceUrl', message: 'Service URL must be a URL' },
          { field: 'appSecret', message: 'App secret is required' },
          { field: 'ttl', message: 'TTL must be an integer' },
        ],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await fixture.whenStable();
    await new Promise((r) => setTimeout(r));
    await fixture.whenStable();
    expect(byId('setting-error-serviceUrl')?.textContent).toContain('must be a URL');
    expect(byId('setting-error-appSecret')?.textContent).toContain('required');
    expect(byId('setting-error-ttl')?.textContent).toContain('integer');
    expect(byId('settings-error')?.textContent).toContain('Nothing was saved');
    expect(byId('settings-saved')).toBeNull();
    expect(byId('setting-serviceUrl')?.getAttribute('aria-invalid')).toBe('true');
  });

  it('sends a new secret only when typed, and reports success', async () => {
    const { fixture, byId, type, http } = await render();
    const saved: AdminProvider[] = [];
    fixture.componentInstance.saved.subscribe((p) => saved.push(p));
    type('setting-appSecret', 'new-secret-value');
    (byId('settings-save') as HTMLElement).click();
    const req = http.expectOne(API.adminProvider('jitsi'));
    expect(req.request.body).toEqual({
      settings: { serviceUrl: 'https://meet.test', ttl: 60, appSecret: 'new-secret-value' },
    });
    req.flush(provider);
    await new Promise((r) => setTimeout(r));
    await fixture.whenStable();
    expect(saved).toHaveLength(1);
    expect(byId('settings-saved')).not.toBeNull();
  });
});
