/**
 * The pure parts of the case service: checking details (every problem named, never another kind of
 * error, whatever comes in), ages from dates of birth, what a referral fills in, the fields that
 * changed, and the retention setting.
 */
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { CasePersonalSchema } from './core.ts';
import { ageOn, ageText, changedFields, detailsFromReferral, detailsInputOf, isRealDate } from './rules.ts';
import { CaseInputError, checkCaseDetails } from './schema.ts';
import { caseAgeBand } from './service.ts';
import { loadVocabularies } from '../../pack/vocabularies.ts';
import { REFERRER_ROLE_LABELS } from '../intake/service.ts';

const vocabularies = loadVocabularies(resolve('data/mn'));
const TODAY = '2026-11-24';

describe('checking a case’s details', () => {
  it('normalises text, lists and codes', () => {
    const { personal, countyFips } = checkCaseDetails(
      {
        chosenName: '  Synthetic Sky ',
        legalName: '',
        age: ' 17 ',
        genderIdentity: 'female',
        raceEthnicity: ['white', 'white', 'asian'],
        languages: 'Hmong, english; ENGLISH\nSpanish',
        contactMethod: 'text_message',
        countyFips: '27123',
        door: ' youth_self ',
        exploitation: ['sexual_exploitation', 'sexual_exploitation', 'labor_trafficking'],
        entryHousing: '',
      },
      vocabularies,
      TODAY,
    );
    expect(personal).toEqual({
      chosenName: 'Synthetic Sky',
      legalName: null,
      dateOfBirth: null,
      age: 17,
      pronouns: null,
      genderIdentity: ['female'],
      raceEthnicity: ['white', 'asian'],
      sexualOrientation: null,
      languages: ['Hmong', 'english', 'Spanish'],
      tribalAffiliation: null,
      safeContact: { method: 'text_message', value: null, times: null, codeWord: null },
      door: 'youth_self',
      exploitation: ['sexual_exploitation', 'labor_trafficking'],
      entryHousing: null,
    });
    expect(countyFips).toBe('27123');
  });

  it('names each field at fault', () => {
    const fields = (input: Parameters<typeof checkCaseDetails>[0]) => {
      try {
        checkCaseDetails(input, vocabularies, TODAY);
        return [];
      } catch (error) {
        return (error as CaseInputError).problems.map((p) => p.field);
      }
    };
    expect(fields({})).toEqual(['chosenName']);
    expect(
      fields({ chosenName: 'A', door: 'chimney', exploitation: ['piracy'], entryHousing: 'castle' }),
    ).toEqual(['door', 'exploitation', 'entryHousing']);
    expect(fields({ chosenName: 'X', dateOfBirth: '2026-11-25' })).toEqual(['dateOfBirth']);
    expect(fields({ chosenName: 'X', dateOfBirth: '1900-01-01' })).toEqual(['dateOfBirth']);
    expect(fields({ chosenName: 'X', age: '121' })).toEqual(['age']);
    expect(fields({ chosenName: 'X', age: '1.5' })).toEqual(['age']);
    expect(fields({ chosenName: 'X', languages: Array.from({ length: 11 }, (_, i) => `L${i}`) })).toEqual([
      'languages',
    ]);
    expect(fields({ chosenName: 'X', sexualOrientation: 'straight', countyFips: '2705' })).toEqual([
      'countyFips',
    ]);
    expect(fields({ chosenName: 'X\nY' })).toEqual(['chosenName']);
  });

  it('never fails with anything but a list of problems, and what it accepts fits the stored schema', () => {
    const anything = fc.oneof(
      fc.string({ maxLength: 250 }),
      fc.constant(null),
      fc.constant(undefined),
      fc.integer(),
      fc.array(fc.string({ maxLength: 30 }), { maxLength: 25 }),
      fc.constantFrom('white', 'female', 'queer', '2008-02-29', '27053', 'email', '17'),
    );
    fc.assert(
      fc.property(
        fc.record({
          chosenName: anything,
          legalName: anything,
          dateOfBirth: anything,
          age: anything,
          pronouns: anything,
          genderIdentity: anything,
          raceEthnicity: anything,
          sexualOrientation: anything,
          languages: anything,
          tribalAffiliation: anything,
          contactMethod: anything,
          contactValue: anything,
          contactTimes: anything,
          codeWord: anything,
          countyFips: anything,
        }),
        (input) => {
          try {
            const { personal } = checkCaseDetails(input as never, vocabularies, TODAY);
            expect(CasePersonalSchema.safeParse(personal).success).toBe(true);
          } catch (error) {
            expect(error).toBeInstanceOf(CaseInputError);
            expect((error as CaseInputError).problems.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('ages and dates', () => {
  it('counts whole years, leap days included', () => {
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
  });

  it('shows an age worked out from the date of birth, never "not given" beside one', () => {
    expect(ageText({ dateOfBirth: '2009-12-02', age: null }, '2026-12-01')).toBe('16 years old');
    expect(ageText({ dateOfBirth: '2009-12-02', age: null }, '2026-12-02')).toBe('17 years old');
    expect(ageText({ dateOfBirth: null, age: 15 }, '2026-12-01')).toBe(
      '15 years old when the case was opened (date of birth not known)',
    );
    expect(ageText({ dateOfBirth: null, age: null }, '2026-12-01')).toBeNull();
    expect(caseAgeBand({ dateOfBirth: '2002-11-24', age: null }, TODAY)).toBe('18to24');
    expect(caseAgeBand({ dateOfBirth: '2001-11-24', age: null }, TODAY)).toBe('25plus');
    expect(caseAgeBand({ dateOfBirth: null, age: null }, TODAY)).toBe('unknown');
    expect(isRealDate('2024-02-29')).toBe(true);
    expect(isRealDate('2025-02-29')).toBe(false);
    expect(isRealDate('2025-2-01')).toBe(false);
  });
});

describe('what a referral fills in, and what changed', () => {
  it('has the intake’s reporter roles as the doors, with the same words', () => {
    const labels = { ...REFERRER_ROLE_LABELS, youth_self: 'The young person themself' };
    expect(Object.fromEntries(vocabularies.doors.map((d) => [d.code, d.label]))).toEqual(labels);
    expect(vocabularies.exploitationTypes.map((e) => e.code)).toEqual([
      'sex_trafficking',
      'sexual_exploitation',
      'labor_trafficking',
      'at_risk',
    ]);
  });

  it('loads details stored before the evaluation’s questions with none of their answers', () => {
    const stored = {
      chosenName: 'Synthetic Old',
      legalName: null,
      dateOfBirth: null,
      age: 15,
      pronouns: null,
      genderIdentity: [],
      raceEthnicity: [],
      sexualOrientation: null,
      languages: [],
      tribalAffiliation: null,
      safeContact: { method: null, value: null, times: null, codeWord: null },
    };
    expect(CasePersonalSchema.parse(stored)).toMatchObject({
      door: null,
      exploitation: [],
      entryHousing: null,
    });
  });

  it('maps the referral’s words to case details', () => {
    const values = detailsFromReferral(
      {
        youth: {
          name: 'Synthetic Youth',
          contactMethod: 'through_referrer',
          contactValue: 'Synthetic counsellor',
          safeTimes: null,
          codeWord: 'Synthetic word',
          language: 'Somali',
          agreedToContact: true,
        },
        referrer: null,
        observed: null,
        screening: null,
      },
      { age: 15, countyFips: '27053', kind: 'self_referral' },
      vocabularies.doors.map((d) => d.code),
    );
    expect(values).toMatchObject({
      chosenName: 'Synthetic Youth',
      contactMethod: 'through_someone',
      languages: ['Somali'],
      age: 15,
      countyFips: '27053',
    });
  });

  it('names the fields that differ, ignoring the order of multi-selects', () => {
    const base = checkCaseDetails(
      { chosenName: 'A', raceEthnicity: ['white', 'asian'] },
      vocabularies,
      TODAY,
    );
    const same = checkCaseDetails(
      { chosenName: 'A', raceEthnicity: ['asian', 'white'] },
      vocabularies,
      TODAY,
    );
    const other = checkCaseDetails(
      { chosenName: 'B', codeWord: 'C', countyFips: '27053' },
      vocabularies,
      TODAY,
    );
    const input = (c: typeof base) => detailsInputOf(c.personal, c.countyFips);
    expect(changedFields(input(base), input(same))).toEqual([]);
    expect(changedFields(input(base), input(other))).toEqual([
      'chosenName',
      'raceEthnicity',
      'codeWord',
      'countyFips',
    ]);
  });
});

describe('the retention setting', () => {
  it('defaults to 7 years and refuses nonsense', () => {
    expect(loadConfig({}).caseRetentionDays).toBe(2555);
    expect(loadConfig({ NWD_CASE_RETENTION_DAYS: '3650' }).caseRetentionDays).toBe(3650);
    expect(() => loadConfig({ NWD_CASE_RETENTION_DAYS: '7' })).toThrow(
      /NWD_CASE_RETENTION_DAYS: at least 30 days/,
    );
    expect(() => loadConfig({ NWD_CASE_RETENTION_DAYS: 'forever' })).toThrow(/NWD_CASE_RETENTION_DAYS/);
  });
});
