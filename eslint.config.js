import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { dirname, relative, resolve, sep } from 'node:path';

/**
 * Import boundaries (docs/architecture.md, "Import rules"):
 * - routes.tsx, api.ts and views never import kysely or pg (they call the feature's service);
 * - queries.ts never imports hono;
 * - rules.ts imports nothing that does I/O;
 * - a feature imports another feature only through that feature's service.ts or index.ts;
 * - src/platform/ imports no feature.
 * The first three are `no-restricted-imports` per file pattern; the last two need the importing
 * file's own folder, so they are the small `nwd/feature-boundaries` rule below.
 */
const DATABASE_DRIVERS = [
  { name: 'kysely', message: 'Pages, JSON routes and views do not use the database: call the service.' },
  { name: 'pg', message: 'Pages, JSON routes and views do not use the database: call the service.' },
];
const DATABASE_PATTERNS = [
  { group: ['kysely/*', 'pg/*'], message: 'Pages, JSON routes and views do not use the database.' },
];
const IO_MODULES = [
  'fs',
  'fs/promises',
  'child_process',
  'net',
  'http',
  'https',
  'dgram',
  'dns',
  'worker_threads',
  'kysely',
  'pg',
  'pg-boss',
  'nodemailer',
  'hono',
];

const SOURCE_ROOT = resolve(import.meta.dirname, 'src');
const FEATURES = resolve(SOURCE_ROOT, 'features');
/** The files through which a feature is used by others. */
const PUBLIC_FILES = new Set(['service', 'index']);

/** `src/features/<name>/...` → name, else null. */
function featureOf(file) {
  const rel = relative(FEATURES, file);
  if (rel.startsWith('..') || rel === '' || rel.includes(':')) return null;
  return rel.split(sep)[0];
}

const featureBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Features are used only through service.ts or index.ts; platform uses no feature.' },
    schema: [],
    messages: {
      internal:
        'Import another feature only through its service.ts or index.ts ("{{feature}}/{{file}}" is its own business).',
      platform: 'src/platform/ is below the features: it imports no feature ("{{feature}}").',
    },
  },
  create(context) {
    const file = resolve(context.physicalFilename ?? context.filename);
    const own = featureOf(file);
    const inPlatform = !relative(resolve(SOURCE_ROOT, 'platform'), file).startsWith('..');
    const check = (node, source) => {
      if (!source || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
      const target = resolve(dirname(file), source.value);
      const feature = featureOf(target);
      if (!feature) return;
      if (inPlatform) {
        context.report({ node, messageId: 'platform', data: { feature } });
        return;
      }
      if (own === null || feature === own) return;
      const inside = relative(resolve(FEATURES, feature), target).split(sep);
      const base = inside.join('/').replace(/\.(ts|tsx|js)$/, '');
      if (inside.length === 1 && PUBLIC_FILES.has(base)) return;
      if (inside.length === 1 && inside[0] === '') return;
      context.report({ node, messageId: 'internal', data: { feature, file: inside.join('/') } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
    };
  },
};

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'coverage/', 'bench/results/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  {
    files: ['src/main.ts', 'scripts/**', 'bench/**', 'bin/**', 'e2e/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx', 'test/**', 'e2e/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: [
      'src/features/*/routes.tsx',
      'src/features/*/routes.ts',
      'src/features/*/api.ts',
      'src/features/*/views.tsx',
      'src/features/*/views/**/*.{ts,tsx}',
    ],
    rules: {
      'no-restricted-imports': ['error', { paths: DATABASE_DRIVERS, patterns: DATABASE_PATTERNS }],
    },
  },
  {
    files: ['src/features/*/queries.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'hono', message: 'Queries are SQL only: they know nothing of HTTP.' }],
          patterns: [
            { group: ['hono/*', '@hono/*'], message: 'Queries are SQL only: they know nothing of HTTP.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/features/*/rules.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: IO_MODULES.flatMap((name) => [name, `node:${name}`]).map((name) => ({
            name,
            message: 'Rules are pure: no I/O, database or HTTP. Do the I/O in the service.',
          })),
          patterns: [
            {
              group: ['hono/*', '@hono/*', 'kysely/*', 'pg/*', '**/db/*', '**/db/**'],
              message: 'Rules are pure: no I/O, database or HTTP. Do the I/O in the service.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    // Tests and the fixtures they share (testing.ts) may reach into any feature.
    ignores: ['**/*.test.ts', '**/*.test.tsx', 'src/features/*/testing.ts'],
    plugins: { nwd: { rules: { 'feature-boundaries': featureBoundaries } } },
    rules: { 'nwd/feature-boundaries': 'error' },
  },
  {
    files: ['bin/**/*.js', 'bench/**/*.mjs', 'scripts/**/*.mjs', '*.js'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
  },
  {
    files: ['src/web/*.js'],
    languageOptions: { globals: { document: 'readonly', location: 'readonly', window: 'readonly' } },
  },
);
