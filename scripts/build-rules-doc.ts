/**
 * Writes docs/rules.md from the pack's pathway rules: `npm run docs:rules [packDir]`.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { rulesMarkdown } from '../src/features/pathway/describe.ts';
import { loadRuleset } from '../src/features/pathway/ruleset.ts';

const packDir = resolve(process.argv[2] ?? 'data/mn');
writeFileSync(resolve('docs/rules.md'), rulesMarkdown(loadRuleset(packDir)));
console.log('docs/rules.md written from', packDir);
