import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { API, type ValidationErrorResponse } from '@parley/protocol';
import { AdminApi, AdminApiError } from './admin-api.service';

describe('AdminApi', () => {
  let api: AdminApi;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    api = TestBed.inject(AdminApi);
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => http.verify());

  it('calls the admin routes of the contract', async () => {
    const update = api.updateProvider('jitsi', { active: false });
    const req = http.expectOne(API.adminProvider('jitsi'));
    expect(req.request.method).toBe('PUT');
    expect(req.request.body).toEqual({ active: false });
    req.flush({ type: 'jitsi' });
    await expect(update).resolves.toEqual({ type: 'jitsi' });

    const test = api.testIceServer('i1');
    const testReq = http.expectOne(API.adminIceServerTest('i1'));
    expect(testReq.request.method).toBe('POST');
    testReq.flush({ expect: 'relay' });
    await test;

    const remove = api.deleteIceServer('i1');
    const del = http.expectOne(API.adminIceServer('i1'));
    expect(del.request.method).toBe('DELETE');
    del.flush(null, { status: 204, statusText: 'No Content' });
    await expect(remove).resolves.toBeNull();

    const audit = api.audit({ limit: 10, before: '2026-01-01T00:00:00Z' });
    const auditReq = http.expectOne((r) => r.url === API.adminAudit);
    expect(auditReq.request.params.get('limit')).toBe('10');
    expect(auditReq.request.params.get('before')).toBe('2026-01-01T00:00:00Z');
    auditReq.flush([]);
    await audit;
  });

  it('turns a 400 into per-field errors', async () => {
    const update = api.updateProvider('jitsi', { settings: { serviceUrl: 'x' } });
    const body: ValidationErrorResponse = {
      statusCode: 400,
      error: 'Bad Request',
      message: 'Invalid settings',
      errors: [
        { field: 'serviceUrl', message: 'Service URL must be a URL' },
        { field: '', message: 'Unknown field foo' },
      ],
    };
    http.expectOne(API.adminProvider('jitsi')).flush(body, { status: 400, statusText: 'Bad Request' });
    const error = await update.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdminApiError);
    expect((error as AdminApiError).status).toBe(400);
    expect((error as AdminApiError).byField()).toEqual({
      serviceUrl: 'Service URL must be a URL',
      '': 'Unknown field foo',
    });
  });

  it('explains a 403', async () => {
    const list = api.providers();
    http
      .expectOne(API.adminProviders)
      .flush({ statusCode: 403, message: 'Forbidden resource' }, { status: 403, statusText: 'Forbidden' });
    await expect(list).rejects.toThrow(/administrators group/);
  });
});
