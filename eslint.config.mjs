// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import angular from 'angular-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import nx from '@nx/eslint-plugin';
import { ensureProjectGraph, moduleBoundaries, testBoundaries } from './tools/eslint/module-boundaries.mjs';

await ensureProjectGraph();

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/coverage/**',
      '**/.nx/**',
      '**/.angular/**',
      'data/**',
      'tmp/**',
    ],
  },
  {
    files: ['**/*.ts'],
    extends: [eslint.configs.recommended, ...tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // Which project may import which (tools/eslint/module-boundaries.mjs): no deep or relative
    // imports into another project, no dependency the wrong way round.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    plugins: { '@nx': nx },
    rules: { '@nx/enforce-module-boundaries': ['error', moduleBoundaries] },
  },
  {
    // Specs and test helpers may also use the test support (real Postgres, coturn, Janus).
    files: ['apps/**/*.spec.ts', 'libs/**/*.spec.ts', 'libs/**/testing.ts'],
    rules: { '@nx/enforce-module-boundaries': ['error', testBoundaries] },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts', 'bench/**/*.ts', 'tools/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['apps/portal/**/*.ts', 'libs/widget/**/*.ts', 'libs/admin/**/*.ts'],
    extends: [...angular.configs.tsRecommended],
    processor: angular.processInlineTemplates,
    rules: {
      '@angular-eslint/component-selector': [
        'error',
        { type: 'element', prefix: 'parley', style: 'kebab-case' },
      ],
      '@angular-eslint/directive-selector': [
        'error',
        { type: 'attribute', prefix: 'parley', style: 'camelCase' },
      ],
    },
  },
  {
    files: ['apps/portal/**/*.html', 'libs/widget/**/*.html', 'libs/admin/**/*.html'],
    extends: [...angular.configs.templateRecommended, ...angular.configs.templateAccessibility],
  },
  {
    files: ['**/*.cjs', '**/*.mjs', '**/*.js'],
    extends: [eslint.configs.recommended],
    languageOptions: { globals: globals.node },
  },
  prettier,
);
