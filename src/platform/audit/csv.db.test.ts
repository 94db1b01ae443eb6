import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCsv, auditCsvStream, exportAuditCsv } from './csv.ts';
import { listAudit } from './list.ts';
import { recordAudit } from './record.ts';
import { ACTOR_ID, appendEvents, auditTestDatabase, sampleEvent, type AuditTestDatabase } from './testing.ts';
import { verifyAuditChain } from './verify.ts';

let a: AuditTestDatabase;
beforeAll(async () => {
  a = await auditTestDatabase();
  await appendEvents(a.db, 3);
  await a.db.transaction().execute((trx) =>
    recordAudit(trx, {
      ...sampleEvent(4),
      action: 'role.change',
      userAgent: "=cmd|' /C calc'!A0",
      reason: 'Asked by the county, "urgent",\nsecond line',
      details: { from: 'professional', to: 'navigator' },
    }),
  );
});
afterAll(async () => {
  await a.t.drop();
});

/** A small RFC 4180 reader, to prove the export parses back into the same fields. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted && ch === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (quoted && ch === '"') {
      quoted = false;
    } else if (quoted || (ch !== '"' && ch !== ',' && ch !== '\r')) {
      field += ch;
    } else if (ch === '"') {
      quoted = true;
    } else {
      record.push(field);
      field = '';
      if (ch === '\r') {
        records.push(record);
        record = [];
        i++; // the \n of CRLF
      }
    }
  }
  return records;
}

describe('audit CSV export', () => {
  it('quotes fields, neutralises formulas and parses back', async () => {
    const csv = await auditCsv(a.db);
    const records = parseCsv(csv);
    expect(records[0]).toEqual(
      'seq,id,occurred_at,actor_user_id,actor_kind,action,subject_type,subject_id,organization_id,ip,user_agent,reason,details,prev_hash,hash'.split(
        ',',
      ),
    );
    expect(records.slice(1).map((r) => r[0])).toEqual(['4', '3', '2', '1']);
    const role = records[1]!;
    expect(role[5]).toBe('role.change');
    expect(role[10]).toBe("'=cmd|' /C calc'!A0");
    expect(role[11]).toBe('Asked by the county, "urgent",\nsecond line');
    expect(JSON.parse(role[12]!)).toEqual({ from: 'professional', to: 'navigator' });
    expect(role[3]).toBe(ACTOR_ID);
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('filters like listAudit and streams the same bytes', async () => {
    const filtered = parseCsv(await auditCsv(a.db, { action: 'record.read' }));
    expect(filtered.slice(1).map((r) => r[0])).toEqual(['3', '2', '1']);
    const streamed = await new Response(auditCsvStream(a.db)).text();
    expect(streamed).toBe(await auditCsv(a.db));
  });

  it('records the export itself, with its filters, before the rows are read', async () => {
    const body = await exportAuditCsv(
      a.db,
      { actorKind: 'user', actorUserId: ACTOR_ID, ip: '192.0.2.10' },
      { action: 'role.change', from: new Date('2020-01-01T00:00:00Z') },
    );
    const records = parseCsv(await new Response(body).text());
    expect(records.slice(1).map((r) => r[5])).toEqual(['role.change']);
    const [exported] = (await listAudit(a.db, { action: 'export.audit_csv', limit: 5 })).events;
    expect(exported).toMatchObject({
      actorUserId: ACTOR_ID,
      subjectType: 'audit_events',
      details: { filters: { action: 'role.change', from: '2020-01-01T00:00:00.000Z' } },
    });
    expect((await verifyAuditChain(a.db)).ok).toBe(true);
  });
});
