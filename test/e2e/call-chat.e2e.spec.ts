// The chat of a group call is a thread in its room (docs/calls.md "Call chat"), end to end: bob and
// carol (members of "Design") in a room call with fake devices; bob writes in the call window's
// Chat panel, carol sees the unread count on her Chat button and the line in her panel; the room
// page shows the "Call started" message with "1 reply", which opens the thread with that line; a
// non-member (alice) gets 403 on the thread's messages.
import type { Browser, Page } from 'playwright-core';
import { API, type CallInfo, type ChatMessage, type RoomSummary } from '@parley/protocol';
import { secondTab, until, type Person } from '../support/calls';
import { groupPerson, launchChromiumForGroupCalls, roomByTitle, startRoomCall } from '../support/group-calls';
import { startParley, type TestServer } from '../support/parley-server';

describe('call chat: a thread in the room', () => {
  let server: TestServer;
  let browser: Browser;
  let bob: Person;
  let carol: Person;
  let design: RoomSummary;

  async function openRoom(page: Page): Promise<void> {
    await page.goto(`/rooms/${design.id}`);
    await page.getByTestId('chat-room').waitFor();
  }

  beforeAll(async () => {
    server = await startParley();
    browser = await launchChromiumForGroupCalls();
    bob = await groupPerson(browser, server.url, 'bob');
    carol = await groupPerson(browser, server.url, 'carol');
    design = await roomByTitle(bob.context, 'Design');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a line written in the call window reaches the other participant and the room thread; members only', async () => {
    // bob starts the room's call from the room header, carol joins from the banner.
    await startRoomCall([bob, carol], design);

    // The call's thread: the "Call started" root message, posted as bob.
    const call = (await (await bob.context.request.get(API.roomCall(design.id))).json()) as {
      call: CallInfo;
    };
    const threadId = call.call.threadId;
    expect(threadId).toEqual(expect.any(String));

    // bob writes in the Chat panel.
    await bob.page.getByTestId('call-chat-toggle').click();
    const panel = bob.page.getByTestId('call-chat');
    await panel.waitFor();
    const line = `Slides are in the shared folder ${Date.now()}`;
    await panel.getByTestId('call-chat-input').fill(line);
    await panel.getByTestId('call-chat-send').click();
    await panel.getByTestId('call-chat-text').filter({ hasText: line }).waitFor({ timeout: 10_000 });
    await expect(panel.getByTestId('call-chat-input').inputValue()).resolves.toBe('');

    // carol: the closed panel counts it, the open panel shows it.
    await expect(carol.page.getByTestId('call-chat-unread').textContent({ timeout: 10_000 })).resolves.toBe(
      '1',
    );
    await carol.page.getByTestId('call-chat-toggle').click();
    const carolPanel = carol.page.getByTestId('call-chat');
    await carolPanel.getByTestId('call-chat-text').filter({ hasText: line }).waitFor({ timeout: 10_000 });
    await expect(carolPanel.locator('.author').first().textContent()).resolves.toBe('Bob Nguyen');
    await expect(carol.page.getByTestId('call-chat-unread').count()).resolves.toBe(0);

    // The room page (another tab of carol's, not in the call): the root with 1 reply opens to the line.
    const room = await secondTab(carol);
    await openRoom(room);
    const root = room.locator(`[data-testid="message"][data-message-id="${threadId}"]`);
    const rootText = await root.getByTestId('message-text').first().textContent({ timeout: 10_000 });
    expect(rootText?.trim()).toBe('📞 Call started: Design');
    const toggle = root.getByTestId('message-thread-toggle');
    await until(
      async () => (await toggle.textContent())?.trim(),
      (text) => text === '1 reply',
      10_000,
      'the root showing 1 reply',
    );
    await toggle.click();
    const reply = root.getByTestId('thread-reply');
    await reply.filter({ hasText: line }).waitFor({ timeout: 10_000 });
    await expect(reply.count()).resolves.toBe(1);

    // A reply from the room page reaches bob's call chat live.
    const fromRoom = `From the room page ${Date.now()}`;
    await root.getByTestId('thread-reply-input').fill(fromRoom);
    await root.getByTestId('thread-reply-send').click();
    await panel.getByTestId('call-chat-text').filter({ hasText: fromRoom }).waitFor({ timeout: 10_000 });
    await expect(toggle.textContent()).resolves.toContain('2 replies');
    await room.close();

    // The thread over REST: members only.
    const members = await bob.context.request.get(`${API.roomMessages(design.id)}?thread=${threadId}`);
    expect(members.status()).toBe(200);
    expect(((await members.json()) as ChatMessage[]).map((m) => m.body)).toEqual([fromRoom, line]);
    const login = await fetch(`${server.url}${API.login}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: 'parley' }),
    });
    const { token } = (await login.json()) as { token: string };
    const outsider = await fetch(`${server.url}${API.roomMessages(design.id)}?thread=${threadId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(outsider.status).toBe(403);
  });
});
