import { TestBed } from '@angular/core/testing';
import { signal } from '@angular/core';
import type { ChatMessage, MessagesQuery, SocketEvents, UserSummary } from '@parley/protocol';
import { Subject, filter, map } from 'rxjs';
import { ParleyWidgetHost } from '../host/widget-host';
import { CallChatComponent } from './call-chat.component';

const user = (id: string, displayName: string): UserSummary => ({
  id,
  username: id,
  displayName,
  avatarUrl: '',
  presence: 'available',
});

const line = (id: string, authorId: string, body: string, at: number, extra: Partial<ChatMessage> = {}) =>
  ({
    id,
    roomId: 'r1',
    authorId,
    body,
    createdAt: new Date(Date.UTC(2026, 0, 1, 10, 0, at)).toISOString(),
    threadId: 't1',
    ...extra,
  }) satisfies ChatMessage;

/** Only what the chat panel uses of the page: users, the socket, the messages API. */
function fakeHost() {
  const pushes = new Subject<{ name: string; data: unknown }>();
  const requests: { name: string; payload: unknown }[] = [];
  const queries: { roomId: string; query: MessagesQuery }[] = [];
  let history: ChatMessage[] = [];
  let answer: (payload: { body: string }) => ChatMessage = () => {
    throw new Error('refused');
  };
  const host = {
    me: signal(user('me', 'Me')),
    users: signal(
      new Map([
        ['me', user('me', 'Me')],
        ['u2', user('u2', 'Bob Nguyen')],
      ]),
    ),
    loadUser: (id: string) => Promise.resolve(user(id, `User ${id}`)),
    serverUrl: (path: string) => `https://parley.example${path}`,
    roomMessages: (roomId: string, query: MessagesQuery) => {
      queries.push({ roomId, query });
      return Promise.resolve([...history].reverse());
    },
    request: (name: string, payload: { body: string }) => {
      requests.push({ name, payload });
      try {
        return Promise.resolve(answer(payload));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    events: (name: string) =>
      pushes.pipe(
        filter((p) => p.name === name),
        map((p) => p.data),
      ),
  };
  return {
    host,
    requests,
    queries,
    setHistory: (messages: ChatMessage[]) => (history = messages),
    answerWith: (fn: typeof answer) => (answer = fn),
    push: <K extends keyof SocketEvents>(name: K, data: SocketEvents[K]) => pushes.next({ name, data }),
  };
}

async function settle(fixture: { whenStable(): Promise<unknown> }): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  await fixture.whenStable();
}

describe('CallChatComponent', () => {
  let fake: ReturnType<typeof fakeHost>;

  beforeEach(() => {
    fake = fakeHost();
    TestBed.configureTestingModule({
      providers: [{ provide: ParleyWidgetHost, useValue: fake.host as unknown as ParleyWidgetHost }],
    });
  });

  function mount(open = true) {
    const fixture = TestBed.createComponent(CallChatComponent);
    fixture.componentRef.setInput('roomId', 'r1');
    fixture.componentRef.setInput('threadId', 't1');
    fixture.componentRef.setInput('open', open);
    const unread: number[] = [];
    fixture.componentInstance.unread.subscribe((n) => unread.push(n));
    const el = fixture.nativeElement as HTMLElement;
    const texts = () => [...el.querySelectorAll('[data-testid="call-chat-text"]')].map((p) => p.textContent);
    return { fixture, el, texts, unread };
  }

  it('loads the thread oldest first, follows it live and renders recordings with a download link', async () => {
    const recording = line('rec', 'u2', 'Recording of the call', 2, {
      attachment: {
        kind: 'recording',
        id: 'f1',
        name: 'call-2026-01-01-1000.webm',
        mimeType: 'video/webm',
        sizeBytes: 5 * 1024 * 1024,
        durationMs: 125_000,
        url: '/api/recordings/f1/file',
      },
    });
    fake.setHistory([line('a', 'u2', 'hello', 1), recording]);
    const { fixture, el, texts } = mount();
    await settle(fixture);
    expect(fake.queries).toEqual([{ roomId: 'r1', query: { thread: 't1', limit: 200 } }]);
    expect(texts()).toEqual(['hello', 'Recording of the call']);
    expect(el.querySelector('.author')?.textContent).toBe('Bob Nguyen');
    const file = el.querySelector('[data-testid="message-attachment"]');
    expect(file?.querySelector('[data-testid="attachment-details"]')?.textContent).toBe('02:05 · 5.0 MB');
    const download = file?.querySelector<HTMLAnchorElement>('[data-testid="attachment-download"]');
    expect(download?.getAttribute('href')).toBe('https://parley.example/api/recordings/f1/file');
    expect(download?.getAttribute('download')).toBe('call-2026-01-01-1000.webm');

    // Live: replies of this thread only, each once.
    fake.push('room.message', line('b', 'u3', 'live one', 3));
    fake.push('room.message', line('b', 'u3', 'live one', 3));
    fake.push('room.message', line('x', 'u2', 'other thread', 4, { threadId: 'other' }));
    fake.push('room.message', line('y', 'u2', 'room stream', 5, { threadId: null }));
    await settle(fixture);
    expect(texts()).toEqual(['hello', 'Recording of the call', 'live one']);
    expect([...el.querySelectorAll('.author')].at(-1)?.textContent).toBe('User u3');
  });

  it('replaces a rewritten message: a deleted recording loses its download link', async () => {
    const recording = line('rec', 'u2', 'Recording of the call', 2, {
      attachment: {
        kind: 'recording',
        id: 'f1',
        name: 'call.webm',
        mimeType: 'video/webm',
        sizeBytes: 4096,
        durationMs: 3000,
        url: '/api/recordings/f1/file',
      },
    });
    fake.setHistory([line('a', 'u2', 'hello', 1), recording]);
    const { fixture, el, texts, unread } = mount(false);
    await settle(fixture);
    expect(el.querySelector('[data-testid="attachment-download"]')).not.toBeNull();
    fake.push('room.message.updated', {
      ...recording,
      body: 'Recording of the call deleted',
      attachment: null,
    });
    // Not shown here: not added.
    fake.push('room.message.updated', line('z', 'u2', 'elsewhere', 3));
    await settle(fixture);
    expect(texts()).toEqual(['hello', 'Recording of the call deleted']);
    expect(el.querySelector('[data-testid="message-attachment"]')).toBeNull();
    expect(unread).toEqual([]);
  });

  it('sends with Enter in the thread and shows refusals', async () => {
    const { fixture, el, texts } = mount();
    await settle(fixture);
    const input = el.querySelector<HTMLTextAreaElement>('[data-testid="call-chat-input"]');
    const send = el.querySelector<HTMLButtonElement>('[data-testid="call-chat-send"]');
    if (!input || !send) throw new Error('no composer');
    expect(send.disabled).toBe(true);
    input.value = 'See the slides';
    input.dispatchEvent(new Event('input'));
    await settle(fixture);
    expect(send.disabled).toBe(false);

    fake.answerWith(({ body }) => line('mine', 'me', body, 6));
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await settle(fixture);
    expect(fake.requests).toEqual([
      { name: 'room.send', payload: { roomId: 'r1', body: 'See the slides', threadId: 't1' } },
    ]);
    expect(texts()).toEqual(['See the slides']);
    expect(el.querySelector('[data-testid="call-chat-message"]')?.classList).toContain('mine');
    expect(input.value).toBe('');

    fake.answerWith(() => {
      throw new Error('You are not a member of this room');
    });
    input.value = 'again';
    input.dispatchEvent(new Event('input'));
    await settle(fixture);
    send.click();
    await settle(fixture);
    expect(el.querySelector('[data-testid="call-chat-error"]')?.textContent).toContain('not a member');
    expect(input.value).toBe('again');
  });

  it('counts messages from others while hidden, and clears the count when shown', async () => {
    const { fixture, unread } = mount(false);
    await settle(fixture);
    fake.push('room.message', line('a', 'u2', 'one', 1));
    fake.push('room.message', line('b', 'me', 'mine, from another tab', 2));
    fake.push('room.message', line('c', 'u2', 'two', 3));
    expect(unread).toEqual([1, 2]);
    fixture.componentRef.setInput('open', true);
    await settle(fixture);
    expect(unread).toEqual([1, 2, 0]);
  });
});
