import { PRESENCES, ROOM_KINDS } from './directory';
import { API } from './rest';

describe('protocol', () => {
  it('lists every presence and room kind once', () => {
    expect(new Set(PRESENCES).size).toBe(4);
    expect(new Set(ROOM_KINDS).size).toBe(4);
  });

  it('encodes ids in REST paths', () => {
    expect(API.roomMessages('a/b')).toBe('/api/rooms/a%2Fb/messages');
  });
});
