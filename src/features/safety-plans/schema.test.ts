import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { readStoredPlan, type SafetyPlanContent } from './schema.ts';

describe('a stored safety plan of an earlier shape', () => {
  it('opens a plan written before people had a "contact" and before custom lines', () => {
    const older = {
      warningSigns: ['Someone offers a ride and a place to stay'],
      safePeople: [{ name: 'My aunt', howToReach: 'Call after 6 pm' }],
      safePlaces: ['The library on Main Street'],
      codeWord: 'blue jay',
      inDanger: 'Call 911. Then text Day One.',
      lines: ['day-one', 'emergency-911'],
    };
    expect(readStoredPlan(older)).toEqual({
      warningSigns: ['Someone offers a ride and a place to stay'],
      safePeople: [{ name: 'My aunt', contact: 'Call after 6 pm' }],
      safePlaces: ['The library on Main Street'],
      codeWord: 'blue jay',
      inDanger: 'Call 911. Then text Day One.',
      lines: ['day-one', 'emergency-911'],
      customLines: [],
    });
  });

  it('opens a plan missing optional parts, dropping empty rows', () => {
    expect(
      readStoredPlan({
        warningSigns: ['Late nights', ''],
        safePeople: [{ name: '', howToReach: '' }],
        lines: [],
      }),
    ).toEqual({
      warningSigns: ['Late nights'],
      safePeople: [],
      safePlaces: [],
      codeWord: null,
      inDanger: null,
      lines: [],
      customLines: [],
    });
  });

  it("reads today's shape unchanged", () => {
    const today: SafetyPlanContent = {
      warningSigns: ['a'],
      safePeople: [{ name: 'Synthetic Aunt Rae', contact: '612-555-0142' }],
      safePlaces: [],
      codeWord: null,
      inDanger: null,
      lines: ['day-one'],
      customLines: [{ name: 'Synthetic school counselor', phone: '(612) 555-0177' }],
    };
    expect(readStoredPlan(today)).toEqual(today);
  });

  it('still refuses what is not a plan at all (a fault in storage is not hidden)', () => {
    expect(() => readStoredPlan({ customLines: [{ name: 'x', phone: 'call me' }] })).toThrow(ZodError);
  });
});
