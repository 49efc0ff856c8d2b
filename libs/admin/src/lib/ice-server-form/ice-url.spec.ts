import { parseIceUrls } from './ice-url';

describe('parseIceUrls', () => {
  it('splits a textarea into URLs and names each problem', () => {
    expect(parseIceUrls('stun:a.test\n\n turn:b.test:3478 \n')).toEqual({
      urls: ['stun:a.test', 'turn:b.test:3478'],
      problems: [],
    });
    expect(parseIceUrls('stun:a.test\nftp:x').problems).toEqual([
      'ftp:x: must start with stun:, stuns:, turn: or turns:',
    ]);
    expect(parseIceUrls('  ').problems).toEqual(['Enter at least one URL.']);
  });
});
