/**
 * The page's own style sheet and script, read once and inlined under the response's nonce: a public
 * page is one request, with nothing left in a cache.
 */
import { readFileSync } from 'node:fs';

const read = (name: string): string => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8').trim();

export const SITE_CSS = read('site.css');
export const QUICK_EXIT_JS = read('quick-exit.js');
