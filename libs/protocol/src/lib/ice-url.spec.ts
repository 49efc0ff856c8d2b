import { iceUrlProblem } from './ice-url';

describe('iceUrlProblem (server and admin page)', () => {
  it.each([
    'stun:stun.example.com',
    'stun:stun.example.com:3478',
    'stuns:stun.example.com:5349',
    'turn:127.0.0.1:3478?transport=udp',
    'turn:[2001:db8::1]:3478?transport=tcp',
    'turns:turn.example.com:5349?transport=tcp',
    'turns:turn.example.com',
    'turn:localhost',
  ])('accepts %s', (url) => expect(iceUrlProblem(url)).toBeNull());

  it.each([
    ['http://turn.example.com', 'must start with stun:, stuns:, turn: or turns:'],
    ['turn:', 'must be <scheme>:<host>[:<port>]'],
    ['turn:host/path', 'must be <scheme>:<host>[:<port>]'],
    ['turn:bad_host', '"bad_host" is not a valid host name or IP address'],
    ['turn:256.1.1.1', '"256.1.1.1" is not a valid host name or IP address'],
    ['turn:turn.example.com:70000', 'port must be 1-65535'],
    ['turn:turn.example.com:0', 'port must be 1-65535'],
    ['stun:stun.example.com?transport=udp', 'a stun: URL takes no ?transport='],
    ['stuns:stun.example.com?transport=tcp', 'a stuns: URL takes no ?transport='],
    ['turn:turn.example.com?transport=sctp', 'the only option is ?transport=udp or ?transport=tcp'],
    ['turns:turn.example.com?transport=udp', 'turns: runs over TLS: use ?transport=tcp'],
  ])('refuses %s', (url, problem) => expect(iceUrlProblem(url)).toBe(problem));
});
