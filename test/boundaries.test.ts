/**
 * The import boundaries of eslint.config.js: each rule reports a deliberate violation as an error, and
 * the same file written within the rules passes. The files exist only in memory; their paths place them.
 */
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: resolve('.') });

/** The boundary errors ESLint reports for `code` as if it were the file at `path`. */
async function boundaryErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(path) });
  return result!.messages
    .filter((m) => m.severity === 2)
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'nwd/feature-boundaries')
    .map((m) => `${m.ruleId}: ${m.message}`);
}

const cases: { rule: string; path: string; bad: string; good: string }[] = [
  {
    rule: 'routes.tsx does not import kysely',
    path: 'src/features/example/routes.tsx',
    bad: `import { sql } from 'kysely';\nexport const x = sql\`select 1\`;\n`,
    good: `import { listThings } from './service.ts';\nexport const x = listThings;\n`,
  },
  {
    rule: 'api.ts does not import pg',
    path: 'src/features/example/api.ts',
    bad: `import pg from 'pg';\nexport const x = pg;\n`,
    good: `import { z } from '@hono/zod-openapi';\nexport const x = z;\n`,
  },
  {
    rule: 'a view does not import kysely, even for a type',
    path: 'src/features/example/views/list.tsx',
    bad: `import type { Kysely } from 'kysely';\nexport type X = Kysely<object>;\n`,
    good: `import type { FC } from 'hono/jsx';\nexport type X = FC;\n`,
  },
  {
    rule: 'queries.ts does not import hono',
    path: 'src/features/example/queries.ts',
    bad: `import type { Context } from 'hono';\nexport type X = Context;\n`,
    good: `import { sql } from 'kysely';\nexport const x = sql\`select 1\`;\n`,
  },
  {
    rule: 'rules.ts does no file I/O',
    path: 'src/features/example/rules.ts',
    bad: `import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n`,
    good: `export const double = (n: number): number => n * 2;\n`,
  },
  {
    rule: 'rules.ts does not use the database',
    path: 'src/features/example/rules.ts',
    bad: `import type { Database } from '../../db/database.ts';\nexport type X = Database;\n`,
    good: `import { double } from './other-rules.ts';\nexport const x = double;\n`,
  },
  {
    rule: 'rules.ts knows nothing of HTTP',
    path: 'src/features/example/rules.ts',
    bad: `import { HTTPException } from 'hono/http-exception';\nexport const x = HTTPException;\n`,
    good: `import { z } from 'zod';\nexport const x = z;\n`,
  },
  {
    rule: 'another feature only through its service.ts or index.ts',
    path: 'src/features/example/service.ts',
    bad: `import { findCase } from '../cases/queries.ts';\nexport const x = findCase;\n`,
    good: `import { findCase } from '../cases/service.ts';\nimport { y } from '../help/index.ts';\nexport const x = [findCase, y];\n`,
  },
  {
    rule: 'a view does not reach into another feature’s views',
    path: 'src/features/example/views/page.tsx',
    bad: `import { Card } from '../../help/views.tsx';\nexport const x = Card;\n`,
    good: `import { Card } from '../views.tsx';\nexport const x = Card;\n`,
  },
  {
    rule: 'platform imports no feature',
    path: 'src/platform/example.ts',
    bad: `import { x } from '../features/help/index.ts';\nexport const y = x;\n`,
    good: `import { problem } from './problem.ts';\nexport const y = problem;\n`,
  },
];

describe('import boundaries', () => {
  for (const c of cases) {
    it(`${c.rule}: the violation is an error`, async () => {
      const errors = await boundaryErrors(c.path, c.bad);
      expect(errors).toHaveLength(1);
    });
    it(`${c.rule}: the file within the rule passes`, async () => {
      expect(await boundaryErrors(c.path, c.good)).toEqual([]);
    });
  }

  it('a feature may use its own files freely', async () => {
    const code = `import { q } from './queries.ts';\nimport { r } from './rules.ts';\nexport const x = [q, r];\n`;
    expect(await boundaryErrors('src/features/example/service.ts', code)).toEqual([]);
  });
});
