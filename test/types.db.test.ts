/**
 * The table types (src/db/types.ts, the `DB` interface and the feature table types it extends) match
 * what the migrations make: a fresh database is migrated, and every table, column and column's
 * nullability there must appear in `DB` and the other way round. The types are read with the
 * TypeScript compiler, so a type spread over several files (`extends AccountTables, …`) counts whole.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import pg from 'pg';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';

/** Tables of the migrations' own bookkeeping, not used through the query builder. */
const BOOKKEEPING = new Set(['schema_migrations']);

type Shape = Record<string, Record<string, { nullable: boolean }>>;

/** `DB` as the compiler sees it: table → column → whether the selected value may be null. */
function declaredTables(): Shape {
  const file = resolve('src/db/types.ts');
  const config = ts.readConfigFile(resolve('tsconfig.json'), (path) => ts.sys.readFile(path));
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, resolve('.'));
  const program = ts.createProgram([file], { ...options, noEmit: true });
  const unresolved = ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  if (unresolved.length > 0) throw new Error(`src/db/types.ts does not compile:\n${unresolved.join('\n')}`);
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  const db = source.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'DB',
  );
  if (!db) throw new Error('src/db/types.ts declares no DB interface');
  const shape: Shape = {};
  for (const table of checker.getPropertiesOfType(checker.getTypeAtLocation(db))) {
    const tableType = checker.getTypeOfSymbolAtLocation(table, db);
    shape[table.name] = {};
    for (const column of checker.getPropertiesOfType(tableType)) {
      let type = checker.getTypeOfSymbolAtLocation(column, db);
      // ColumnType<Select, Insert, Update> and Generated<T>: what a select returns is __select__.
      const selected = type.getProperty('__select__');
      if (selected) type = checker.getTypeOfSymbolAtLocation(selected, db);
      const parts = type.isUnion() ? type.types : [type];
      shape[table.name]![column.name] = { nullable: parts.some((t) => (t.flags & ts.TypeFlags.Null) !== 0) };
    }
  }
  return shape;
}

let admin: pg.Client;
const name = `nwd_types_${randomBytes(4).toString('hex')}`;
const migrated: Shape = {};

beforeAll(async () => {
  admin = new pg.Client({ connectionString: inject('adminUrl') });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(inject('adminUrl'));
  url.pathname = `/${name}`;
  const handle = openDatabase(url.toString(), 2);
  try {
    await migrate(handle.db);
    const { rows } = await handle.pool.query<{
      table_name: string;
      column_name: string;
      is_nullable: string;
    }>(
      `select c.table_name, c.column_name, c.is_nullable
         from information_schema.columns c
         join information_schema.tables t using (table_schema, table_name)
        where c.table_schema = 'public' and t.table_type = 'BASE TABLE'`,
    );
    for (const row of rows) {
      if (BOOKKEEPING.has(row.table_name)) continue;
      (migrated[row.table_name] ??= {})[row.column_name] = { nullable: row.is_nullable === 'YES' };
    }
  } finally {
    await handle.close();
  }
}, 120_000);

afterAll(async () => {
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
});

describe('src/db/types.ts and the migrated database', () => {
  const declared = declaredTables();

  it('have the same tables', () => {
    expect(Object.keys(migrated).length).toBeGreaterThan(10);
    expect(Object.keys(declared).sort()).toEqual(Object.keys(migrated).sort());
  });

  it('have the same columns in every table', () => {
    const drift: string[] = [];
    for (const table of new Set([...Object.keys(declared), ...Object.keys(migrated)])) {
      const inTypes = Object.keys(declared[table] ?? {});
      const inDatabase = Object.keys(migrated[table] ?? {});
      for (const column of inTypes) {
        if (!inDatabase.includes(column)) drift.push(`${table}.${column}: in types.ts, not in the database`);
      }
      for (const column of inDatabase) {
        if (!inTypes.includes(column)) drift.push(`${table}.${column}: in the database, not in types.ts`);
      }
    }
    expect(drift).toEqual([]);
  });

  it('agree on which columns may be null', () => {
    const drift: string[] = [];
    for (const [table, columns] of Object.entries(migrated)) {
      for (const [column, { nullable }] of Object.entries(columns)) {
        const typed = declared[table]?.[column];
        if (typed && typed.nullable !== nullable) {
          drift.push(
            `${table}.${column}: ${nullable ? 'nullable' : 'not null'} in the database, ` +
              `${typed.nullable ? 'nullable' : 'not null'} in types.ts`,
          );
        }
      }
    }
    expect(drift).toEqual([]);
  });
});
