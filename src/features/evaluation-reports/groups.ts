/**
 * The groups of each breakdown, in the order a report lists them, with their names in plain words:
 * from the pack's answer lists, its regions and counties, and the product's own codes. A code the data
 * holds that no list knows (an answer since retired) is listed after the others, under its code.
 * No I/O.
 */
import type { Dimension } from '../../pack/evaluation.ts';
import type { Vocabularies } from '../../pack/vocabularies.ts';
import { ORGANIZATION_TYPES } from '../../platform/access.ts';
import { GENDERS, PROGRAM_TYPES } from '../housing/index.ts';
import { AGE_BAND_NAMES } from '../queue/index.ts';
import { AGE_BANDS as SHELTER_AGES } from '../shelter-requests/index.ts';

export const NOT_RECORDED = 'not_recorded';

export interface GroupNames {
  vocabularies: Vocabularies;
  regions: ReadonlyMap<string, string>;
  counties: ReadonlyMap<string, string>;
  courses: ReadonlyMap<string, string>;
}

type List = readonly (readonly [code: string, label: string])[];
const fromVocabulary = (list: readonly { code: string; label: string }[]): List =>
  list.map((e) => [e.code, e.label] as const);
const fromRecord = (record: Readonly<Record<string, string>>): List => Object.entries(record);

/** The known groups of a breakdown, in order; `open` when codes outside the list may also appear. */
export function knownGroups(by: Dimension, names: GroupNames): { list: List; notRecorded: boolean } {
  const v = names.vocabularies;
  switch (by) {
    case 'none':
      return { list: [], notRecorded: false };
    case 'age_band':
      return { list: fromRecord(AGE_BAND_NAMES), notRecorded: false };
    case 'gender':
      return { list: fromVocabulary(v.genderIdentity), notRecorded: true };
    case 'race':
      return {
        list: [
          ...fromVocabulary(v.raceEthnicity),
          ['two_or_more', 'Two or more races (also counted in each)'],
        ],
        notRecorded: true,
      };
    case 'metro':
      return {
        list: [
          ['metro', 'Twin Cities metro'],
          ['greater', 'Greater Minnesota'],
        ],
        notRecorded: false,
      };
    case 'region':
      return { list: [...names.regions], notRecorded: false };
    case 'county':
      return {
        list: [...names.counties].map(([fips, name]) => [fips, `${name} County`] as const),
        notRecorded: true,
      };
    case 'tribal':
      return { list: [['yes', 'Tribal affiliation recorded']], notRecorded: true };
    case 'door':
      return { list: fromVocabulary(v.doors), notRecorded: true };
    case 'exploitation':
      return { list: fromVocabulary(v.exploitationTypes), notRecorded: true };
    case 'entry_housing':
    case 'exit_housing':
      return { list: fromVocabulary(v.exitHousing), notRecorded: true };
    case 'close_reason':
      return { list: fromVocabulary(v.closeReasons), notRecorded: true };
    case 'service':
      return { list: fromVocabulary(v.services), notRecorded: false };
    case 'decline_reason':
      return {
        list: [...fromVocabulary(v.declineReasons), ['not_declined', 'Not declined']],
        notRecorded: false,
      };
    case 'intake_kind':
      return {
        list: [
          ['professional_referral', 'Referral from a professional'],
          ['self_referral', 'A young person’s own request'],
        ],
        notRecorded: false,
      };
    case 'urgency':
      return {
        list: [
          ['immediate', 'Immediate'],
          ['soon', 'Soon'],
          ['routine', 'Routine'],
        ],
        notRecorded: false,
      };
    case 'shelter_age':
      return {
        list: Object.entries(SHELTER_AGES).map(([code, band]) => [code, band.label] as const),
        notRecorded: false,
      };
    case 'shelter_gender':
      return { list: fromRecord(GENDERS), notRecorded: false };
    case 'program_type':
      return { list: fromRecord(PROGRAM_TYPES), notRecorded: false };
    case 'course':
      return { list: [...names.courses], notRecorded: false };
    case 'organization_type':
      return { list: fromRecord(ORGANIZATION_TYPES), notRecorded: false };
  }
}

/**
 * The groups a table lists: every known group of a short list (a zero says nobody, which is worth
 * saying), only the groups with someone in them for a long one (counties, courses), then codes the data
 * holds that no list knows, then "Not recorded".
 */
export function groupsFor(
  by: Dimension,
  names: GroupNames,
  seen: ReadonlySet<string>,
): { code: string; label: string }[] {
  const { list, notRecorded } = knownGroups(by, names);
  const long = by === 'county' || by === 'course';
  const known = list.filter(([code]) => !long || seen.has(code)).map(([code, label]) => ({ code, label }));
  const codes = new Set(list.map(([c]) => c));
  const extra = [...seen]
    .filter((c) => !codes.has(c) && c !== NOT_RECORDED)
    .sort()
    .map((code) => ({ code, label: code.replaceAll('_', ' ') }));
  const tail = notRecorded || seen.has(NOT_RECORDED) ? [{ code: NOT_RECORDED, label: 'Not recorded' }] : [];
  return [...known, ...extra, ...tail];
}
