// @ts-check
import { createProjectGraphAsync } from '@nx/devkit';
/**
 * The dependency rules of the monorepo, enforced by `@nx/enforce-module-boundaries` (lint). Each
 * project's `tags` (project.json) name its layer; a project may import only the layers listed for
 * it, and only through a package name (`@parley/...`), never by a path into another project.
 *
 *   app:server  -> server, connector, shared      the server app wires everything together
 *   server      -> server, shared                 server libs never import a connector
 *   connector   -> shared                         a connector sees the SDK and the protocol only,
 *                                                 what a third-party package would see
 *   portal      -> portal, widget, shared
 *   widget      -> shared
 *   shared      -> shared                         protocol and SDK: the bottom layer
 *
 * Specs and test helpers (`testBoundaries`) may in addition import `@parley/test-support/*`
 * (test/support: real Postgres, coturn, Janus) and their own package by name (the conformance
 * specs load a connector exactly as Parley loads a plug-in).
 */
export const moduleBoundaries = {
  enforceBuildableLibDependency: false,
  allow: [],
  // The portal provides the admin page's ADMIN_CHANGES token (a few bytes) and lazy-loads the page.
  checkDynamicDependenciesExceptions: ['@parley/admin'],
  depConstraints: [
    {
      sourceTag: 'scope:app-server',
      onlyDependOnLibsWithTags: ['scope:server', 'scope:connector', 'scope:shared'],
    },
    { sourceTag: 'scope:server', onlyDependOnLibsWithTags: ['scope:server', 'scope:shared'] },
    { sourceTag: 'scope:connector', onlyDependOnLibsWithTags: ['scope:shared'] },
    { sourceTag: 'scope:portal', onlyDependOnLibsWithTags: ['scope:portal', 'scope:widget', 'scope:shared'] },
    { sourceTag: 'scope:widget', onlyDependOnLibsWithTags: ['scope:shared'] },
    { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  ],
};

export const testBoundaries = {
  ...moduleBoundaries,
  allowCircularSelfDependency: true,
  depConstraints: moduleBoundaries.depConstraints.map((constraint) => ({
    ...constraint,
    onlyDependOnLibsWithTags: [...constraint.onlyDependOnLibsWithTags, 'scope:testing'],
  })),
};

/**
 * `@nx/enforce-module-boundaries` reads the project graph Nx caches in .nx/workspace-data and,
 * without one (a fresh clone, after `nx reset`), skips itself with a warning. eslint.config.mjs
 * awaits this first, so the rule always runs (quick when nothing changed since the last graph).
 */
export async function ensureProjectGraph() {
  await createProjectGraphAsync({ exitOnError: true });
}
