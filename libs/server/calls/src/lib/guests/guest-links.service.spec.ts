import { Logger } from '@nestjs/common';
import type { GuestSettings } from '@parley/protocol';
import { type ProviderRegistry, SecretBox } from '@parley/server-conferencing';
import { randomBytes } from 'node:crypto';
import { setUpCalls, type TestCalls } from '../testing';
import { GuestLinks } from './guest-links.service';
import { GuestLobby } from './guest-lobby.service';
import type { GuestSettingsService } from './guest-settings.service';

describe('guest links and the lobby', () => {
  beforeAll(() => Logger.overrideLogger(false));

  let t: TestCalls;
  let settings: GuestSettings;
  let capabilities: string[];
  let links: GuestLinks;
  let lobby: GuestLobby;
  let callId: string;

  beforeEach(async () => {
    t = setUpCalls();
    settings = { enabled: true, creators: 'host' };
    capabilities = ['audio', 'video', 'guests'];
    const registry = {
      usable: () => [
        { type: 'webrtc', capabilities, clientModuleUrl: '/api/providers/webrtc/client.js?v=1' },
      ],
    } as unknown as ProviderRegistry;
    const guestSettings = { get: async () => settings } as unknown as GuestSettingsService;
    const secrets = new SecretBox({ secretsKey: randomBytes(32) });
    links = new GuestLinks(t.store, t.lifecycle, registry, guestSettings, secrets);
    lobby = new GuestLobby(t.store, t.lifecycle, t.groups, t.events, registry);
    callId = (await t.groups.start({ userId: 'alice' }, 'r1', 'webrtc', null)).id;
    await t.groups.join({ userId: 'bob' }, t.lifecycle.access(callId, 'bob'));
  });

  afterEach(() => {
    lobby.onModuleDestroy();
    t.close();
  });

  /** A guest opens the link, gives a name, knocks. */
  async function knock(token: string, name: string) {
    const opened = await links.openSession(token, name);
    const session = await links.session(opened.cookie);
    return { opened, session, reply: lobby.knock(session) };
  }

  it('only the host creates links (members too when the admins say so), never when guests are off', async () => {
    await expect(links.create({ userId: 'bob' }, callId)).rejects.toThrow(
      'Only the host can create guest links',
    );
    const link = await links.create({ userId: 'alice' }, callId, 1800);
    expect(link).toMatchObject({
      roomId: 'r1',
      callId,
      createdBy: 'alice',
      revoked: false,
      path: `/guest/${link.token}`,
    });
    settings.creators = 'members';
    await expect(links.create({ userId: 'bob' }, callId)).resolves.toMatchObject({ createdBy: 'bob' });
    await expect(links.create({ userId: 'erin' }, callId)).rejects.toThrow('not a member');
    settings.enabled = false;
    await expect(links.create({ userId: 'alice' }, callId)).rejects.toThrow('turned off');
    settings.enabled = true;
    capabilities = ['audio'];
    await expect(links.create({ userId: 'alice' }, callId)).rejects.toThrow('does not take guests');
  });

  it('the link page says what is wrong: invalid, expired, revoked, ended, disabled', async () => {
    const link = await links.create({ userId: 'alice' }, callId, 60);
    await expect(links.status(link.token)).resolves.toEqual({
      ok: true,
      roomTitle: 'Room r1',
      expiresAt: link.expiresAt,
    });
    await expect(links.status(`${link.token}x`)).resolves.toMatchObject({ ok: false, problem: 'invalid' });
    settings.enabled = false;
    await expect(links.status(link.token)).resolves.toMatchObject({ ok: false, problem: 'disabled' });
    settings.enabled = true;
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + 61_000);
    await expect(links.status(link.token)).resolves.toMatchObject({
      ok: false,
      problem: 'expired',
      message: expect.stringMatching(/expired/),
    });
    jest.restoreAllMocks();
    links.revoke({ userId: 'alice' }, callId, link.id);
    await expect(links.status(link.token)).resolves.toMatchObject({ ok: false, problem: 'revoked' });
    const other = await links.create({ userId: 'alice' }, callId);
    t.groups.hangup({ userId: 'alice' }, callId);
    t.groups.hangup({ userId: 'bob' }, callId);
    await expect(links.status(other.token)).resolves.toMatchObject({ ok: false, problem: 'ended' });
  });

  it('a guest waits, the host admits them: they join the call as a guest, never its host', async () => {
    const link = await links.create({ userId: 'alice' }, callId);
    const { opened, reply } = await knock(link.token, 'Gina');
    expect(reply).toEqual({ state: 'waiting', roomTitle: 'Room r1' });
    const guestId = opened.guest.id;
    expect(guestId).toMatch(/^guest-/);
    expect(t.pushed('call.lobby.updated').at(-1)).toEqual([
      ['alice', 'bob'],
      { callId, waiting: [expect.objectContaining({ id: guestId, displayName: 'Gina' })] },
    ]);
    // Waiting is not admitted: no access to the call yet; only the host admits.
    expect(() => t.lifecycle.access(callId, guestId)).toThrow('not a member');
    expect(() => lobby.admit({ userId: 'bob' }, callId, guestId)).toThrow('Only the host');
    expect(lobby.admit({ userId: 'alice' }, callId, guestId).waiting).toEqual([]);
    const [to, admitted] = t.pushed('guest.admitted').at(-1) as [
      string[],
      { provider: { clientModuleUrl: string } },
    ];
    expect(to).toEqual([guestId]);
    expect(admitted.provider.clientModuleUrl).toBe('/api/guest/providers/webrtc/client.js?v=1');
    const joined = await t.calls.join({ userId: guestId }, callId);
    expect(joined.call.participants.find((p) => p.userId === guestId)).toMatchObject({
      state: 'joined',
      guest: { displayName: 'Gina' },
    });
    // The members leave: the guest does not become host nor keep the call going.
    t.groups.hangup({ userId: 'alice' }, callId);
    expect(t.lifecycle.get(callId, 'bob').hostId).toBe('bob');
    t.groups.hangup({ userId: 'bob' }, callId);
    expect(t.lifecycle.get(callId, 'bob').state).toBe('ended');
    expect(t.pushed('guest.removed').at(-1)).toEqual([
      [guestId],
      expect.objectContaining({ reason: 'ended' }),
    ]);
  });

  it('deny turns a guest away for good; admit all lets everyone waiting in', async () => {
    const link = await links.create({ userId: 'alice' }, callId);
    const denied = await knock(link.token, 'Dan');
    lobby.deny({ userId: 'alice' }, callId, denied.opened.guest.id);
    expect(t.pushed('guest.removed').at(-1)).toEqual([
      [denied.opened.guest.id],
      expect.objectContaining({ reason: 'denied' }),
    ]);
    expect(() => lobby.knock(denied.session)).toThrow('did not let you in');
    const a = await knock(link.token, 'Ann');
    const b = await knock(link.token, 'Ben');
    expect(lobby.get({ userId: 'bob' }, callId).waiting.map((g) => g.displayName)).toEqual(['Ann', 'Ben']);
    expect(lobby.admitAll({ userId: 'alice' }, callId).waiting).toEqual([]);
    expect(lobby.knock(a.session)).toMatchObject({ state: 'admitted' });
    expect(t.lifecycle.access(callId, b.opened.guest.id).machine.id).toBe(callId);
  });

  it('revoking the link removes its guests from the call and refuses their session', async () => {
    const link = await links.create({ userId: 'alice' }, callId);
    const { opened } = await knock(link.token, 'Gina');
    const guestId = opened.guest.id;
    lobby.admit({ userId: 'alice' }, callId, guestId);
    await t.calls.join({ userId: guestId }, callId);
    const evicted: string[] = [];
    lobby.evictions$.subscribe((id) => evicted.push(id));
    expect(() => links.revoke({ userId: 'bob' }, callId, link.id)).toThrow('Only the host');
    const { live } = links.revoke({ userId: 'alice' }, callId, link.id);
    lobby.linkRevoked(live, link.id);
    expect(live.machine.participant(guestId)?.state).toBe('left');
    expect(() => t.lifecycle.access(callId, guestId)).toThrow('not a member');
    expect(evicted).toEqual([guestId]);
    expect(t.pushed('guest.removed').at(-1)).toEqual([
      [guestId],
      expect.objectContaining({ reason: 'revoked' }),
    ]);
    await expect(links.session(opened.cookie)).rejects.toMatchObject({ problem: 'revoked' });
    await expect(links.openSession(link.token, 'Again')).rejects.toMatchObject({ problem: 'revoked' });
  });
});
