import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { API } from '@parley/protocol';
import { ApiClient, ApiRequestError } from './api-client';

describe('ApiClient', () => {
  let api: ApiClient;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    api = TestBed.inject(ApiClient);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('uses the protocol routes', async () => {
    const rooms = api.rooms();
    http.expectOne({ method: 'GET', url: API.rooms }).flush([]);
    await expect(rooms).resolves.toEqual([]);

    const direct = api.directRoom('u2');
    const req = http.expectOne({ method: 'POST', url: API.directRoom });
    expect(req.request.body).toEqual({ userId: 'u2' });
    req.flush({ id: 'r1' });
    await expect(direct).resolves.toEqual({ id: 'r1' });

    const post = api.createPost('Hello');
    const postReq = http.expectOne({ method: 'POST', url: API.posts });
    expect(postReq.request.body).toEqual({ body: 'Hello' });
    postReq.flush({ id: 'p1' });
    await post;
  });

  it('pages messages with before/limit', async () => {
    const page = api.messages('a/b', { before: '2026-01-01T00:00:00Z', limit: 20 });
    const req = http.expectOne((r) => r.url === API.roomMessages('a/b'));
    expect(req.request.params.get('before')).toBe('2026-01-01T00:00:00Z');
    expect(req.request.params.get('limit')).toBe('20');
    req.flush([]);
    await page;
  });

  it('turns NestJS error bodies into ApiRequestError with the server message', async () => {
    const user = api.user('nobody');
    http
      .expectOne(API.user('nobody'))
      .flush(
        { statusCode: 404, message: 'User not found', error: 'Not Found' },
        { status: 404, statusText: 'Not Found' },
      );
    const err = await user.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiRequestError);
    expect(err).toMatchObject({ status: 404, message: 'User not found' });

    const post = api.createPost('');
    http
      .expectOne(API.posts)
      .flush(
        { statusCode: 400, message: ['body must not be empty', 'body is too short'] },
        { status: 400, statusText: 'Bad Request' },
      );
    await expect(post).rejects.toMatchObject({ message: 'body must not be empty, body is too short' });
  });
});
