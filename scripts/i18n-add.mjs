#!/usr/bin/env node
// Adds messages to the catalogue from a file of { "key": { "en": "…", "es": "…", "so": "…", "hmn": "…" } }
// (a language left out is added as untranslated), keeps every file sorted by key, and marks each new
// translation "drafted" with the English it was made from. An existing key is replaced.
//   node scripts/i18n-add.mjs messages.json [--status drafted|machine]
import { readFileSync, writeFileSync } from 'node:fs';

const DIR = new URL('../src/platform/i18n/catalogue/', import.meta.url);
const [file, ...rest] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/i18n-add.mjs <messages.json> [--status drafted|machine]');
  process.exit(2);
}
const status = rest[0] === '--status' ? rest[1] : 'drafted';
const added = JSON.parse(readFileSync(file, 'utf8'));
const read = (lang) => JSON.parse(readFileSync(new URL(`${lang}.json`, DIR), 'utf8'));
const write = (lang, data) => {
  const sorted = Object.fromEntries(
    Object.keys(data)
      .sort()
      .map((k) => [k, data[k]]),
  );
  writeFileSync(new URL(`${lang}.json`, DIR), `${JSON.stringify(sorted, null, 2)}\n`);
};
const en = read('en');
for (const [key, texts] of Object.entries(added)) {
  if (typeof texts.en !== 'string') throw new Error(`${key}: no English`);
  en[key] = texts.en;
}
write('en', en);
for (const lang of ['es', 'so', 'hmn']) {
  const data = read(lang);
  for (const [key, texts] of Object.entries(added))
    data[key] =
      typeof texts[lang] === 'string'
        ? { text: texts[lang], status, source: texts.en }
        : { text: null, status: 'untranslated', source: texts.en };
  write(lang, data);
}
console.log(`${Object.keys(added).length} messages added or replaced in en, es, so, hmn`);
