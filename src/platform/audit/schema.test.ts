import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical.ts';
import { auditEventInput, detailsProblem } from './schema.ts';

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps explicit nulls', () => {
    expect(canonicalJson({ b: 1, a: [null, { d: true, c: 'x' }], e: null })).toBe(
      '{"a":[null,{"c":"x","d":true}],"b":1,"e":null}',
    );
    expect(canonicalJson({ z: 1, a: 2 })).toBe(canonicalJson({ a: 2, z: 1 }));
  });
});

describe('details guard', () => {
  it.each([
    'email',
    'Email',
    'e_mail',
    'name',
    'firstName',
    'last-name',
    'dateOfBirth',
    'DOB',
    'phone',
    'address',
  ])('refuses the key %s', (key) => {
    expect(detailsProblem({ [key]: 'synthetic' })).toMatch(/personal field/);
  });

  it('allows record ids, counts and codes', () => {
    expect(detailsProblem({ caseId: 'c-1', count: 3, role: { from: 'a', to: 'b' }, tags: ['x'] })).toBeNull();
  });

  it('refuses values that are not plain JSON', () => {
    expect(detailsProblem({ when: new Date() })).toMatch(/plain object/);
    expect(detailsProblem({ n: Infinity })).toMatch(/finite/);
    expect(detailsProblem({ a: { b: { c: { d: { e: { f: 1 } } } } } })).toMatch(/deeply/);
  });

  it('lower-cases uuids and defaults details to an empty object', () => {
    const e = auditEventInput.parse({
      actorKind: 'system',
      action: 'retention.purge',
      organizationId: 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE',
    });
    expect(e.organizationId).toBe('aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee');
    expect(e.details).toEqual({});
  });
});
