import { formatProblem, patternProblem } from './pattern-words';

describe('pattern words', () => {
  it.each([
    ['^https?://[^/?#]+(/[^?#]*)?$', 'Service URL must be a URL starting with https:// or http://'],
    ['^wss?://[^/?#]+(/[^?#]*)?$', 'Service URL must be a URL starting with wss:// or ws://'],
    [
      '^(wss?|https?)://[^/?#]+(/[^?#]*)?$',
      'Service URL must be a URL starting with wss://, ws://, https:// or http://',
    ],
    ['^[a-zA-Z0-9_-]*$', 'Service URL may contain only letters, digits, _ and -'],
    ['^[A-Za-z0-9.:-]*$', 'Service URL may contain only letters, digits, ., : and -'],
    ['^[a-z0-9]+$', 'Service URL may contain only lowercase letters and digits'],
  ])('puts %s into words', (pattern, message) => {
    expect(patternProblem('Service URL', { type: 'string', pattern })).toBe(message);
  });

  it('never shows a pattern it cannot word: the description, else a plain sentence', () => {
    const pattern = '^(\\d{1,3}(\\.\\d{1,3}){3}|[0-9a-fA-F:]+)$';
    expect(patternProblem('Listen address', { type: 'string', pattern, description: 'An IP address.' })).toBe(
      'Listen address is not in the expected form: An IP address.',
    );
    expect(patternProblem('Listen address', { type: 'string', pattern })).toBe(
      'Listen address is not in the expected form',
    );
    expect(patternProblem('Code', { type: 'string', pattern: '^[b-y]+$' })).not.toContain('^');
  });

  it("prefers the connector's patternMessage", () => {
    expect(
      patternProblem('Room', {
        type: 'string',
        pattern: '^[a-z]+$',
        patternMessage: 'Use lowercase letters',
      }),
    ).toBe('Use lowercase letters');
  });

  it('words formats', () => {
    expect(formatProblem('Host', 'hostname')).toBe('Host must be a host name (such as media.example.com)');
    expect(formatProblem('Thing', 'color')).toBe('Thing must be a valid color');
  });
});
