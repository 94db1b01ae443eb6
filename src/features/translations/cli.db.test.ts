/**
 * `nwd i18n status|export|import` as an operator runs them, against a fresh database: each language's
 * counts, the messages to do, a file for translators, an import in a state administrator's name (and
 * refused for another role, an unknown email and a wrong row).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNwd } from '../../../test/cli.ts';
import { freshDatabase, type TestDatabase } from '../../../test/db.ts';
import { shippedCatalogue } from '../../platform/i18n/index.ts';

let db: TestDatabase;
let env: Record<string, string>;
const dir = mkdtempSync(join(tmpdir(), 'nwd-i18n-'));
const total = Object.keys(shippedCatalogue().english).length;

beforeAll(async () => {
  db = await freshDatabase();
  env = { DATABASE_URL: db.url, NWD_MASTER_KEY: randomBytes(32).toString('hex') };
  for (const [email, role, org, type] of [
    ['state@example.org', 'state_admin', 'Synthetic State Agency', 'state_agency'],
    ['nav@example.org', 'navigator', 'Synthetic Host', 'navigator_host'],
  ] as const) {
    const extra = role === 'navigator' ? ['--region', 'west-metro'] : [];
    const add = await runNwd(
      ['users', 'add', '--email', email, '--role', role, '--org', org, '--org-type', type, ...extra],
      env,
    );
    expect(add.code, add.stderr).toBe(0);
  }
}, 180_000);
afterAll(() => db?.drop());

const nwd = (args: string[]) => runNwd(['i18n', ...args], env);

describe('nwd i18n', { timeout: 120_000 }, () => {
  it('prints each language’s messages by status, and lists one language’s to do', async () => {
    const out = await nwd(['status']);
    expect(out.code, out.stderr).toBe(0);
    const lines = out.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(':')[0])).toEqual(['Spanish (es)', 'Somali (so)', 'Hmong (hmn)']);
    for (const line of lines) {
      expect(line).toContain(`${total} messages`);
      expect(line).toContain('0 reviewed, 0 approved');
      expect(line).toContain('0 checked by a fluent speaker');
    }
    const list = await nwd(['status', '--locale', 'so', '--list']);
    expect(list.stdout).toContain('drafted\tlayout.quickExit\tQuick exit');
    expect(list.stdout.trim().split('\n')).toHaveLength(1 + total);
  });

  it('writes the file for translators', async () => {
    const out = await nwd(['export', '--locale', 'es', '--format', 'csv']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout.split('\r\n')[0]).toBe('key,english,translation,status');
    const file = join(dir, 'hmn.xlf');
    const written = await nwd(['export', '--locale', 'hmn', '--out', file]);
    expect(written.stdout).toContain(`Wrote no-wrong-door-hmn-to-do.xlf to ${file}.`);
  });

  it('imports a file in a state administrator’s name, and refuses the rest', async () => {
    const file = join(dir, 'es.csv');
    writeFileSync(file, 'key,english,translation,status\nlayout.call,Call,Llame,reviewed\n');
    const refused = await nwd(['import', '--locale', 'es', '--file', file, '--as', 'nav@example.org']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('translations.manage');
    const unknown = await nwd(['import', '--locale', 'es', '--file', file, '--as', 'nobody@example.org']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No active account has the email nobody@example.org.');

    const bad = join(dir, 'bad.csv');
    writeFileSync(
      bad,
      'key,english,translation,status\nlayout.title,{title} | No Wrong Door Minnesota,{x},reviewed\n',
    );
    const wrong = await nwd(['import', '--locale', 'es', '--file', bad, '--as', 'state@example.org']);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain('Nothing was imported: 1 rows need fixing.');
    expect(wrong.stdout).toContain('row 2 (layout.title)');

    const done = await nwd(['import', '--locale', 'es', '--file', file, '--as', 'state@example.org']);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout.trim()).toBe('Imported 1 translations.');
    const status = await nwd(['status', '--locale', 'es']);
    expect(status.stdout).toContain('1 reviewed');
    expect(status.stdout).toContain('1 checked by a fluent speaker');
  });

  it('names its usage for a wrong subcommand or language', async () => {
    const out = await nwd(['translate']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('nwd i18n status');
    const lang = await nwd(['export', '--locale', 'fr']);
    expect(lang.code).toBe(2);
    expect(lang.stderr).toContain('Choose a language: es (Spanish), so (Somali) or hmn (Hmong).');
  });
});
