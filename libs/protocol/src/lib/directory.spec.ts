import { PRESENCES, ROOM_KINDS } from './directory';
import { attachmentDetails, errorMessage, formatDuration, formatFileSize } from './format';
import { API } from './rest';

describe('protocol', () => {
  it('lists every presence and room kind once', () => {
    expect(new Set(PRESENCES).size).toBe(4);
    expect(new Set(ROOM_KINDS).size).toBe(4);
  });

  it('encodes ids in REST paths', () => {
    expect(API.roomMessages('a/b')).toBe('/api/rooms/a%2Fb/messages');
  });

  it('formats attachment durations and sizes', () => {
    expect([0, 999, 5_000, 65_000, 600_000, 3_725_000].map(formatDuration)).toEqual([
      '00:00',
      '00:01',
      '00:05',
      '01:05',
      '10:00',
      '1:02:05',
    ]);
    expect([0, 1000, 512 * 1024, 2_500_000, 3 * 1024 ** 3].map(formatFileSize)).toEqual([
      '1 KB',
      '1 KB',
      '512 KB',
      '2.4 MB',
      '3.0 GB',
    ]);
    const attachment = {
      kind: 'recording' as const,
      id: 'r',
      name: 'call.webm',
      mimeType: 'video/webm',
      sizeBytes: 2_500_000,
      durationMs: 65_000,
      url: '/api/recordings/r/file',
    };
    expect(attachmentDetails(attachment)).toBe('01:05 · 2.4 MB');
  });

  it('gives the message of any caught value', () => {
    expect(errorMessage(new TypeError('bad rtpParameters'))).toBe('bad rtpParameters');
    expect(errorMessage('ffmpeg exited')).toBe('ffmpeg exited');
    expect(errorMessage(42)).toBe('42');
  });
});
