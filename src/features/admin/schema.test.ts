import { describe, expect, it } from 'vitest';
import type { AuditQueryValues } from './views/audit.tsx';
import { parseAuditFilters } from './schema.ts';

const blank: AuditQueryValues = {
  action: '',
  actor: '',
  subjectType: '',
  subjectId: '',
  organization: '',
  from: '',
  to: '',
} as AuditQueryValues;

describe('audit filters', () => {
  it('reads valid filters, lower-cases ids and makes the last day inclusive', () => {
    const { filters, errors } = parseAuditFilters(
      {
        ...blank,
        action: 'sign_in.failure',
        actor: 'AAAAAAAA-AAAA-4AAA-8AAA-AAAAAAAAAAAA',
        from: '2026-01-02',
        to: '2026-01-02',
      },
      true,
    );
    expect(errors).toEqual([]);
    expect(filters.actorUserId).toBe('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
    expect(new Date(filters.from as Date).toISOString()).toBe('2026-01-02T00:00:00.000Z');
    expect(new Date(filters.to as Date).toISOString()).toBe('2026-01-03T00:00:00.000Z');
  });

  it('names each field at fault, in order, and the reversed range', () => {
    const { errors } = parseAuditFilters(
      { ...blank, action: 'DROP TABLE', subjectId: 'a\u0000b', from: '2026-02-30', to: '2025-01-01' },
      true,
    );
    expect(errors.map((e) => e.field)).toEqual(['action', 'subjectId', 'from']);
    const range = parseAuditFilters({ ...blank, from: '2026-02-02', to: '2026-02-01' }, true).errors;
    expect(range).toEqual([{ field: 'to', message: 'The last day must be on or after the first day.' }]);
  });

  it('drops the organization filter for a reader who is not statewide', () => {
    const values = { ...blank, organization: 'not-an-id' };
    const { filters, errors } = parseAuditFilters(values, false);
    expect(errors).toEqual([]);
    expect(filters.organizationId).toBeUndefined();
    expect(values.organization).toBe('');
  });
});
