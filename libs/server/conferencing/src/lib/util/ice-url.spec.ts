import { iceUrlProblem } from './ice-url';
import { turnRestCredentials } from './turn';
import { createHmac } from 'node:crypto';

describe('iceUrlProblem', () => {
  it.each([
    'stun:stun.example.com',
    'stun:stun.example.com:3478',
    'stuns:stun.example.com:5349',
    'turn:10.0.0.1:3478?transport=udp',
    'turn:[2001:db8::1]:3478?transport=tcp',
    'turns:turn.example.com:443?transport=tcp',
    'turn:localhost',
  ])('accepts %s', (url) => expect(iceUrlProblem(url)).toBeNull());

  it.each([
    ['http://x', 'must start with stun:, stuns:, turn: or turns:'],
    ['turn:', 'must be <scheme>:<host>[:<port>]'],
    ['turn:host:0', 'port must be 1-65535'],
    ['turn:host:70000', 'port must be 1-65535'],
    ['turn:300.1.1.1', 'host "300.1.1.1" is not a valid host name or IP address'],
    ['turn:bad_host', 'host "bad_host" is not a valid host name or IP address'],
    ['stun:host?transport=udp', 'stun URLs take no query'],
    ['turn:host?transport=sctp', 'the only query allowed is ?transport=udp or ?transport=tcp'],
  ])('refuses %s', (url, problem) => expect(iceUrlProblem(url)).toBe(problem));
});

describe('turnRestCredentials', () => {
  it('mints expiry:userId with base64 HMAC-SHA1 (coturn use-auth-secret)', () => {
    const minted = turnRestCredentials('secret', 'user-1', 600, 1_700_000_000_000);
    expect(minted.username).toBe('1700000600:user-1');
    expect(minted.expiresAt).toBe(1700000600);
    expect(minted.credential).toBe(createHmac('sha1', 'secret').update('1700000600:user-1').digest('base64'));
  });
});
