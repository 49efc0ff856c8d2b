import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { API, type ChatMessage } from '@parley/protocol';
import { DirectoryStore } from '../core/directory.store';
import { MiniChatService } from '../core/mini-chat.service';
import { RealtimeService } from '../core/realtime.service';
import { RoomsStore } from '../core/rooms.store';
import { SessionService } from '../core/session.service';
import { FakeRealtime, profile } from '../testing/fakes';
import { AvatarComponent } from './avatar.component';
import { ChatThreadComponent } from './chat-thread.component';
import { UserChipComponent } from './user-chip.component';
import { provideParleyWidget } from '@parley/widget';
import { PortalWidgetHost } from '../core/widget-host';

/** Lets promise chains finish, then waits for rendering. */
async function settle(fixture: ComponentFixture<unknown>, ms = 0): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  await fixture.whenStable();
}

describe('shared components', () => {
  let http: HttpTestingController;
  let realtime: FakeRealtime;

  beforeEach(() => {
    realtime = new FakeRealtime();
    TestBed.configureTestingModule({
      providers: [
        provideParleyWidget(PortalWidgetHost),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: RealtimeService, useValue: realtime },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    TestBed.inject(DirectoryStore).upsert(
      profile({ id: 'u2', displayName: 'Bob Nguyen', presence: 'available' }),
    );
  });

  describe('AvatarComponent', () => {
    it('shows a live presence dot with test hooks', async () => {
      const fixture = TestBed.createComponent(AvatarComponent);
      fixture.componentRef.setInput('userId', 'u2');
      await settle(fixture);
      const el = fixture.nativeElement as HTMLElement;
      const dot = el.querySelector('[data-testid="presence-u2"]');
      expect(dot?.getAttribute('data-presence')).toBe('available');
      expect(el.querySelector('.initials')?.textContent).toBe('BN');

      realtime.push('presence.changed', { ...profile({ id: 'u2' }), presence: 'dnd' });
      await settle(fixture);
      expect(dot?.getAttribute('data-presence')).toBe('dnd');
      expect(dot?.getAttribute('aria-label')).toBe('Do not disturb');
    });
  });

  describe('UserChipComponent', () => {
    it('opens the popover on focus and "Message" opens the mini chat', async () => {
      const fixture = TestBed.createComponent(UserChipComponent);
      fixture.componentRef.setInput('userId', 'u2');
      await settle(fixture);
      const el = fixture.nativeElement as HTMLElement;
      el.querySelector('a')?.dispatchEvent(new FocusEvent('focusin', { bubbles: true }));
      await settle(fixture, 300);
      http
        .expectOne(API.user('u2'))
        .flush(profile({ id: 'u2', displayName: 'Bob Nguyen', title: 'Product designer' }));
      await settle(fixture);
      const popover = el.querySelector('[data-testid="user-popover"]');
      expect(popover?.textContent).toContain('Bob Nguyen');
      expect(popover?.textContent).toContain('Product designer');
      expect(popover?.textContent).toContain('Available');
      expect(popover?.querySelector('[data-call-slot="popover"]')?.getAttribute('data-call-user-id')).toBe(
        'u2',
      );

      const message = [...(popover?.querySelectorAll('button') ?? [])].find((b) =>
        b.textContent?.includes('Message'),
      );
      message?.click();
      expect(TestBed.inject(MiniChatService).userId()).toBe('u2');
      await settle(fixture);
      expect(el.querySelector('[data-testid="user-popover"]')).toBeNull();
    });
  });

  describe('ChatThreadComponent', () => {
    const msg: ChatMessage = {
      id: 'm1',
      roomId: 'r1',
      authorId: 'u2',
      body: 'Hello there',
      createdAt: '2026-01-01T10:00:00Z',
    };

    it('lists messages, sends with Enter and keeps Send disabled while empty', async () => {
      const fixture = TestBed.createComponent(ChatThreadComponent);
      fixture.componentRef.setInput('roomId', 'r1');
      await settle(fixture);
      http.expectOne((r) => r.url === API.roomMessages('r1')).flush([msg]);
      await settle(fixture);

      const el = fixture.nativeElement as HTMLElement;
      const list = el.querySelector('[data-testid="message-list"]');
      expect(list?.querySelectorAll('[data-testid="message"]').length).toBe(1);
      expect(list?.textContent).toContain('Hello there');

      const send = el.querySelector<HTMLButtonElement>('[data-testid="message-send"]');
      const input = el.querySelector<HTMLTextAreaElement>('[data-testid="message-input"]');
      expect(send?.disabled).toBe(true);
      if (!input) throw new Error('no input');
      input.value = '   ';
      input.dispatchEvent(new Event('input'));
      await settle(fixture);
      expect(send?.disabled).toBe(true);

      input.value = 'Hi Bob';
      input.dispatchEvent(new Event('input'));
      await settle(fixture);
      expect(send?.disabled).toBe(false);

      realtime.request.mockResolvedValue({
        ...msg,
        id: 'm2',
        authorId: 'u1',
        body: 'Hi Bob',
        createdAt: '2026-01-01T10:01:00Z',
      });
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
      await settle(fixture);
      expect(realtime.request).toHaveBeenCalledWith('room.send', { roomId: 'r1', body: 'Hi Bob' });
      // Unknown room in the store: it reloads the room list.
      http.match(API.rooms).forEach((r) => r.flush([]));
      await settle(fixture);
      expect(list?.querySelectorAll('[data-testid="message"]').length).toBe(2);
      expect(input.value).toBe('');
      expect(TestBed.inject(RoomsStore).messages('r1').at(-1)?.body).toBe('Hi Bob');
    });

    it('opens a thread inline, replies in it, follows live replies and renders attachments', async () => {
      const fixture = TestBed.createComponent(ChatThreadComponent);
      fixture.componentRef.setInput('roomId', 'r1');
      await settle(fixture);
      const root: ChatMessage = { ...msg, body: '📞 Call started: Design', threadId: null, replyCount: 1 };
      const plain: ChatMessage = { ...msg, id: 'm0', createdAt: '2026-01-01T09:00:00Z', replyCount: 0 };
      http.expectOne((r) => r.url === API.roomMessages('r1')).flush([root, plain]);
      await settle(fixture);
      const el = fixture.nativeElement as HTMLElement;
      const toggles = el.querySelectorAll<HTMLButtonElement>('[data-testid="message-thread-toggle"]');
      expect([...toggles].map((t) => t.textContent?.trim())).toEqual(['Reply', '1 reply']);

      toggles[1].click();
      await settle(fixture);
      expect(toggles[1].getAttribute('aria-expanded')).toBe('true');
      const recording: ChatMessage = {
        ...msg,
        id: 'rec',
        body: 'Recording of the call',
        createdAt: '2026-01-01T10:01:00Z',
        threadId: 'm1',
        attachment: {
          kind: 'recording',
          id: 'r9',
          name: 'call-2026-01-01-1000.webm',
          mimeType: 'video/webm',
          sizeBytes: 2_500_000,
          durationMs: 65_000,
          url: '/api/recordings/r9/file',
        },
      };
      http
        .expectOne((r) => r.url === API.roomMessages('r1') && r.params.get('thread') === 'm1')
        .flush([recording]);
      await settle(fixture);
      const thread = el.querySelector('[data-testid="thread"]');
      expect(thread?.querySelectorAll('[data-testid="thread-reply"]').length).toBe(1);
      const file = thread?.querySelector('[data-testid="message-attachment"]');
      expect(file?.textContent).toContain('call-2026-01-01-1000.webm');
      expect(file?.querySelector('[data-testid="attachment-details"]')?.textContent).toBe('01:05 · 2.4 MB');
      const download = file?.querySelector<HTMLAnchorElement>('[data-testid="attachment-download"]');
      expect(download?.getAttribute('href')).toBe('/api/recordings/r9/file');
      expect(download?.getAttribute('download')).toBe('call-2026-01-01-1000.webm');

      // A live reply from someone else goes into the open thread and bumps the count.
      realtime.push('room.message', {
        ...msg,
        id: 'live',
        body: 'live reply',
        createdAt: '2026-01-01T10:02:00Z',
        threadId: 'm1',
      });
      await settle(fixture);
      expect(thread?.querySelectorAll('[data-testid="thread-reply"]').length).toBe(2);
      expect(toggles[1].textContent?.trim()).toBe('2 replies');

      // Replying sends with the thread id.
      const input = thread?.querySelector<HTMLTextAreaElement>('[data-testid="thread-reply-input"]');
      if (!input) throw new Error('no reply input');
      input.value = 'my reply';
      input.dispatchEvent(new Event('input'));
      await settle(fixture);
      realtime.request.mockResolvedValue({
        ...msg,
        id: 'mine',
        authorId: 'u1',
        body: 'my reply',
        createdAt: '2026-01-01T10:03:00Z',
        threadId: 'm1',
      });
      thread?.querySelector<HTMLButtonElement>('[data-testid="thread-reply-send"]')?.click();
      await settle(fixture);
      expect(realtime.request).toHaveBeenCalledWith('room.send', {
        roomId: 'r1',
        body: 'my reply',
        threadId: 'm1',
      });
      http.match(API.rooms).forEach((r) => r.flush([]));
      await settle(fixture);
      expect(thread?.querySelectorAll('[data-testid="thread-reply"]').length).toBe(3);
      expect(input.value).toBe('');
      expect(el.querySelectorAll('[data-testid="message"]').length).toBe(2);

      toggles[1].click();
      await settle(fixture);
      expect(el.querySelector('[data-testid="thread"]')).toBeNull();
    });

    it('shows the error when the server refuses the message', async () => {
      const fixture = TestBed.createComponent(ChatThreadComponent);
      fixture.componentRef.setInput('roomId', 'r1');
      await settle(fixture);
      http.expectOne((r) => r.url === API.roomMessages('r1')).flush([]);
      const el = fixture.nativeElement as HTMLElement;
      const input = el.querySelector<HTMLTextAreaElement>('[data-testid="message-input"]');
      if (!input) throw new Error('no input');
      input.value = 'Hi';
      input.dispatchEvent(new Event('input'));
      await settle(fixture);
      realtime.request.mockRejectedValue(new Error('Not a member of this room'));
      el.querySelector<HTMLButtonElement>('[data-testid="message-send"]')?.click();
      await settle(fixture);
      expect(el.querySelector('[role="alert"]')?.textContent).toContain('Not a member of this room');
      expect(input.value).toBe('Hi');
    });

    it('offers Delete on a recording to its host only, deletes it and shows the rewritten post', async () => {
      const login = TestBed.inject(SessionService).login('carol', 'parley');
      http
        .expectOne(API.login)
        .flush({ user: profile({ id: 'u3', isAdmin: false }), token: 't', expiresAt: 'x' });
      await login;
      const fixture = TestBed.createComponent(ChatThreadComponent);
      fixture.componentRef.setInput('roomId', 'r1');
      await settle(fixture);
      const file = (id: string) => ({
        kind: 'recording' as const,
        id,
        name: `${id}.webm`,
        mimeType: 'video/webm',
        sizeBytes: 4096,
        durationMs: 3000,
        url: API.recordingFile(id),
      });
      const bobs: ChatMessage = {
        ...msg,
        id: 'rb',
        body: 'Recording of the call',
        attachment: file('f-bob'),
      };
      const mine: ChatMessage = {
        ...msg,
        id: 'rc',
        authorId: 'u3',
        body: 'Recording of the call',
        createdAt: '2026-01-01T10:01:00Z',
        attachment: file('f-carol'),
      };
      http.expectOne((r) => r.url === API.roomMessages('r1')).flush([mine, bobs]);
      await settle(fixture);
      const el = fixture.nativeElement as HTMLElement;
      const deleteOf = (id: string) =>
        el.querySelector<HTMLButtonElement>(`[data-message-id="${id}"] [data-testid="attachment-delete"]`);
      expect(deleteOf('rb')).toBeNull();
      expect(deleteOf('rc')).not.toBeNull();

      const confirm = jest.spyOn(window, 'confirm').mockReturnValue(true);
      deleteOf('rc')?.click();
      await settle(fixture);
      expect(confirm).toHaveBeenCalledWith(
        'Delete the recording "f-carol.webm" for everyone? This cannot be undone.',
      );
      const request = http.expectOne(API.recording('f-carol'));
      expect(request.request.method).toBe('DELETE');
      expect(deleteOf('rc')?.disabled).toBe(true);
      request.flush(null, { status: 204, statusText: 'No Content' });
      realtime.push('room.message.updated', {
        ...mine,
        body: 'Recording of the call deleted by Carol',
        attachment: null,
      });
      await settle(fixture);
      const post = el.querySelector(`[data-message-id="rc"]`);
      expect(post?.textContent).toContain('Recording of the call deleted by Carol');
      expect(post?.querySelector('[data-testid="message-attachment"]')).toBeNull();
      confirm.mockRestore();
    });
  });
});
