import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SDK_MAJOR, SDK_VERSION, sdkCompatibilityProblem, versionSatisfies } from './version';

describe('SDK version', () => {
  it('is the version of the published package, and its major', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as {
      version: string;
    };
    expect(SDK_VERSION).toBe(manifest.version);
    expect(SDK_MAJOR).toBe(Number(manifest.version.split('.')[0]));
  });

  it.each([
    ['1.0.0', '^1', true],
    ['1.0.0', '^1.0.0', true],
    ['1.4.2', '^1.2.0', true],
    ['1.0.0', '^1.2.0', false],
    ['2.0.0', '^1.0.0', false],
    ['0.2.5', '^0.2.1', true],
    ['0.3.0', '^0.2.1', false],
    ['1.2.9', '~1.2.3', true],
    ['1.3.0', '~1.2.3', false],
    ['1.9.0', '~1', true],
    ['1.5.0', '1.x', true],
    ['2.0.0', '1.x', false],
    ['1.0.0', '*', true],
    ['1.0.0', '', true],
    ['1.0.0', '1.0.0', true],
    ['1.0.1', '1.0.0', false],
    ['1.5.0', '>=1 <2', true],
    ['2.0.0', '>=1 <2', false],
    ['2.1.0', '^1 || ^2', true],
    ['1.3.0', '1.0.0 - 1.4.0', true],
    ['1.5.0', '1.0.0 - 1.4.0', false],
    ['2.0.0', '>1', true],
    ['1.9.9', '>1', false],
  ])('%s satisfies %j: %s', (version, range, expected) => {
    expect(versionSatisfies(version, range)).toBe(expected);
  });

  it('cannot read tags, paths and URLs (null)', () => {
    expect(versionSatisfies('1.0.0', 'latest')).toBeNull();
    expect(versionSatisfies('1.0.0', 'file:../sdk.tgz')).toBeNull();
  });

  it('explains why a plug-in built for another major is refused, and accepts the same major', () => {
    expect(sdkCompatibilityProblem('^1.0.0', '1.3.0')).toBeNull();
    expect(sdkCompatibilityProblem('workspace:*', '1.3.0')).toBeNull();
    expect(sdkCompatibilityProblem('^2.0.0', '1.3.0')).toBe(
      'built for @parley/connector-sdk ^2.0.0, but this server provides @parley/connector-sdk 1.3.0 and accepts plug-ins built for SDK major 1 (^1.0.0): install a version of the plug-in made for SDK 1.x',
    );
  });
});
