/**
 * The SDK's version (semver). The published package's `package.json` says the same (the pack build
 * refuses a mismatch). A plug-in states the SDK it was built for with its peer dependency
 * (`"@parley/connector-sdk": "^1.0.0"`); the server accepts it when that range admits the server's
 * SDK version (same major, a minor no newer than the server's) and refuses it with a message otherwise.
 */
export const SDK_VERSION = '1.0.0';

/** The SDK's major version: the server loads only plug-ins built for this major. */
export const SDK_MAJOR = Number(SDK_VERSION.split('.')[0]);

type Version = [number, number, number];

function parseVersion(text: string): Version | null {
  const match = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(text.trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : null;
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** One comparator (`^1.2`, `~1`, `1.x`, `>=1.0.0`, `1.2.3`, `*`) as a test of a version. */
function comparator(text: string): ((version: Version) => boolean) | null {
  const match = /^(\^|~|>=|<=|>|<|=)?v?(\*|x|X|\d+)(?:\.(\*|x|X|\d+))?(?:\.(\*|x|X|\d+))?(?:-[\w.]+)?$/.exec(
    text,
  );
  if (!match) return null;
  const op = match[1] ?? '';
  const parts = [match[2], match[3], match[4]].map((part) =>
    part === undefined || /^[*xX]$/.test(part) ? null : Number(part),
  );
  const given = parts.findIndex((part) => part === null);
  const precision = given === -1 ? 3 : given; // how many leading parts are numbers
  const floor: Version = [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0];
  if (precision === 0) return op === '<' || op === '>' ? () => false : () => true;
  // The first version past the range of a partial or caret/tilde spec.
  const bump = (index: number): Version => {
    const next: Version = [floor[0], floor[1], floor[2]];
    next[index] += 1;
    for (let i = index + 1; i < 3; i += 1) next[i] = 0;
    return next;
  };
  const firstNonZero = floor.findIndex((part, index) => part !== 0 || index === precision - 1);
  const ceiling =
    op === '^'
      ? bump(Math.min(firstNonZero === -1 ? 0 : firstNonZero, precision - 1))
      : op === '~'
        ? bump(precision >= 2 ? 1 : 0)
        : bump(precision - 1);
  switch (op) {
    case '>=':
      return (v) => compare(v, floor) >= 0;
    case '>':
      return precision === 3 ? (v) => compare(v, floor) > 0 : (v) => compare(v, ceiling) >= 0;
    case '<':
      return (v) => compare(v, floor) < 0;
    case '<=':
      return precision === 3 ? (v) => compare(v, floor) <= 0 : (v) => compare(v, ceiling) < 0;
    default:
      // '', '=', '^', '~': [floor, ceiling)
      return op === '' || op === '='
        ? precision === 3
          ? (v) => compare(v, floor) === 0
          : (v) => compare(v, floor) >= 0 && compare(v, ceiling) < 0
        : (v) => compare(v, floor) >= 0 && compare(v, ceiling) < 0;
  }
}

/**
 * Whether `version` satisfies the npm range `range` (`^1`, `^1.2.0`, `~1.0`, `1.x`, `>=1 <2`,
 * `1 || 2`, `1.0.0 - 1.4.0`, `*`). Prereleases are compared by their numbers only. A range it
 * cannot read (a tag, a URL, a `file:` path) answers `null`.
 */
export function versionSatisfies(version: string, range: string): boolean | null {
  const parsed = parseVersion(version);
  if (!parsed) return null;
  const sets = range.trim() === '' ? ['*'] : range.split('||');
  let readable = false;
  for (const set of sets) {
    const hyphen = /^\s*(\S+)\s+-\s+(\S+)\s*$/.exec(set);
    const texts = hyphen
      ? [`>=${hyphen[1]}`, `<=${hyphen[2]}`]
      : set
          .trim()
          .replace(/(\^|~|>=|<=|>|<|=)\s+/g, '$1')
          .split(/\s+/)
          .filter(Boolean);
    const tests = (texts.length ? texts : ['*']).map(comparator);
    if (tests.some((test) => test === null)) continue;
    readable = true;
    if (tests.every((test) => test?.(parsed))) return true;
  }
  return readable ? false : null;
}

/**
 * Why a plug-in declaring `range` for `@parley/connector-sdk` cannot run on an SDK of `version`,
 * or `null` when it can (an unreadable range is not refused: the server cannot tell).
 */
export function sdkCompatibilityProblem(range: string, version: string = SDK_VERSION): string | null {
  if (versionSatisfies(version, range) !== false) return null;
  const major = version.split('.')[0];
  return `built for @parley/connector-sdk ${range}, but this server provides @parley/connector-sdk ${version} and accepts plug-ins built for SDK major ${major} (^${major}.0.0): install a version of the plug-in made for SDK ${major}.x`;
}
