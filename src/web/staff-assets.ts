/**
 * The staff pages' design system, the US Web Design System, served from this site (no CDN): its
 * style sheet, the fonts it names and the icons it draws, under a path that carries the version, so a
 * browser may keep them for a year. Public pages never load it: they keep their own small inline CSS.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, sep } from 'node:path';
import type { App, AppDeps } from '../app-types.ts';
import { STAFF_ENTRY, type PolicyRegistry } from '../platform/policy.ts';
import { router } from './route.ts';

const require = createRequire(import.meta.url);
// The package exports its style sheet, not its package.json: find its folder from the style sheet.
const USWDS_DIST = dirname(dirname(require.resolve('@uswds/uswds/css/uswds.min.css')));
const USWDS_PACKAGE = JSON.parse(readFileSync(join(USWDS_DIST, '..', 'package.json'), 'utf8')) as {
  version: string;
};

/** Where the staff side's static files are: the same for everyone, so no session is read for them. */
export const STAFF_ASSETS_BASE = '/staff/assets';
/** Where the design system's files are served from; the version in the path makes them safe to keep. */
export const USWDS_BASE = `${STAFF_ASSETS_BASE}/uswds-${USWDS_PACKAGE.version}`;
export const USWDS_CSS = `${USWDS_BASE}/css/uswds.min.css`;

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** Only these folders of the package, and only these kinds of file, are served. */
const FOLDERS = ['css', 'fonts', 'img'];

const cache = new Map<string, Buffer | null>();

/** A file of the package's `dist` folder by its path under it, or null (unknown, outside, or not a served kind). */
export async function uswdsFile(path: string): Promise<{ body: Buffer; type: string } | null> {
  const clean = normalize(path).replace(/^[/\\]+/, '');
  const type = TYPES[extname(clean)];
  if (!type || clean.split(sep).includes('..') || !FOLDERS.includes(clean.split(sep)[0] ?? '')) return null;
  let body = cache.get(clean);
  if (body === undefined) {
    body = await readFile(join(USWDS_DIST, clean)).catch(() => null);
    cache.set(clean, body);
  }
  return body ? { body, type } : null;
}

export function staffAssets(app: App, deps: AppDeps, policies: PolicyRegistry): void {
  const route = router(app, deps, policies);
  route.open('get', `${USWDS_BASE}/*`, STAFF_ENTRY, async (c) => {
    const file = await uswdsFile(c.req.path.slice(USWDS_BASE.length));
    if (!file) return c.text('Not found', 404);
    c.header('Content-Type', file.type);
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    return c.body(new Uint8Array(file.body));
  });
}
