import { describe, expect, it } from 'vitest';
import { loadTribalNations, TribalNationsSchema } from './tribal-nations.ts';

describe('tribal nations', () => {
  const data = loadTribalNations('data/mn');

  it("lists Minnesota's 11 federally recognized tribal nations, with provenance, unverified", () => {
    expect(data.nations).toHaveLength(11);
    expect(data.verified).toBe(false);
    expect(data.source).toMatch(/https:\/\//);
    expect(data.nations.map((n) => n.name)).toContain('Red Lake Nation');
  });

  it('gives no contact that a source does not give: every one empty and flagged', () => {
    for (const n of data.nations) {
      expect(n.socialServices).toBeNull();
      expect(n.contactsVerified).toBe(false);
    }
  });

  it('refuses repeated ids and a contact without a source', () => {
    const twice = { ...data, nations: [...data.nations, data.nations[0]] };
    expect(TribalNationsSchema.safeParse(twice).success).toBe(false);
    const unsourced = {
      ...data,
      nations: [{ ...data.nations[0], socialServices: { phone: null, url: 'https://example.org' } }],
    };
    expect(TribalNationsSchema.safeParse(unsourced).success).toBe(false);
  });
});
