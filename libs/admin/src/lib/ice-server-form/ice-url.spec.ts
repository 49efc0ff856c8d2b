import { iceUrlProblem, parseIceUrls } from './ice-url';

describe('ICE URL rules', () => {
  it.each([
    'stun:stun.example.com',
    'stun:stun.example.com:3478',
    'turn:127.0.0.1:3478?transport=udp',
    'turn:[2001:db8::1]:3478?transport=tcp',
    'turns:turn.example.com:5349?transport=tcp',
    'turns:turn.example.com',
  ])('accepts %s', (url) => expect(iceUrlProblem(url)).toBeNull());

  it.each([
    ['http://turn.example.com', /must start with/],
    ['turn:', /scheme>:<host>/],
    ['turn:bad_host!:3478', /not a valid host/],
    ['turn:256.1.1.1', /not a valid host/],
    ['turn:turn.example.com:70000', /port must be 1-65535/],
    ['turn:turn.example.com:0', /port must be 1-65535/],
    ['stun:stun.example.com?transport=udp', /takes no \?transport/],
    ['turn:turn.example.com?transport=sctp', /transport=udp or \?transport=tcp/],
    ['turns:turn.example.com?transport=udp', /use \?transport=tcp/],
  ])('refuses %s', (url, problem) => expect(iceUrlProblem(url)).toMatch(problem));

  it('splits a textarea into URLs and names each problem', () => {
    expect(parseIceUrls('stun:a.test\n\n turn:b.test:3478 \n')).toEqual({
      urls: ['stun:a.test', 'turn:b.test:3478'],
      problems: [],
    });
    expect(parseIceUrls('stun:a.test\nftp:x').problems).toEqual([
      'ftp:x: must start with stun:, turn: or turns:',
    ]);
    expect(parseIceUrls('  ').problems).toEqual(['Enter at least one URL.']);
  });
});
