/**
 * The invented words of the synthetic cases (first names, pronouns, languages, note and task texts) and
 * the evaluation's answers of a synthetic case (how they came in, the types of exploitation and housing
 * at entry), drawn with a spread like a Safe Harbor network's. Nothing here describes a real person.
 */
import type { Vocabularies } from '../cases/index.ts';

export const FIRST_NAMES = [
  'Alex',
  'Amara',
  'Ana',
  'Aria',
  'Ayla',
  'Bella',
  'Bri',
  'Cam',
  'Chloe',
  'Dani',
  'Deja',
  'Eli',
  'Emma',
  'Faith',
  'Gabi',
  'Hana',
  'Imani',
  'Isa',
  'Jada',
  'Jay',
  'Jess',
  'Jo',
  'Kai',
  'Kayla',
  'Kiara',
  'Lani',
  'Lee',
  'Lia',
  'Luz',
  'Mai',
  'Maya',
  'Mia',
  'Nia',
  'Nova',
  'Paj',
  'Quinn',
  'Remy',
  'Rio',
  'Riley',
  'Rowan',
  'Sage',
  'Sam',
  'Sky',
  'Tay',
  'Toni',
  'Val',
  'Xochi',
  'Yer',
  'Zara',
  'Zoe',
];
export const PRONOUNS = ['she/her', 'he/him', 'they/them', null];
export const LANGUAGES = [
  'English',
  'English',
  'English',
  'English',
  'Spanish',
  'Hmong',
  'Somali',
  'Ojibwe',
  'Karen',
];
export const NOTE_TEXT = [
  'Met at the library. Talked about a safe place to stay this week.',
  'Called at the agreed time; used the code word. Doing okay today.',
  'Went with them to the clinic appointment.',
  'Shelter has a bed from Friday. Will confirm transport.',
  'Could not reach; left no message as agreed.',
  'Talked through the safety plan again; added a new safe person.',
];
export const TASK_TEXT = [
  'Follow up on the shelter referral',
  'Check in at the agreed safe time',
  'Meet within 24 hours of return',
  'Confirm the clinic appointment',
  'Review the safety plan together',
];
/** A code drawn by weight, among those the pack's list has (null for the weight of `null`). */
function weighted(rnd: () => number, weights: Record<string, number>, list: { code: string }[]) {
  const known = new Set(list.map((e) => e.code));
  const entries = Object.entries(weights).filter(([code]) => code === 'null' || known.has(code));
  let r = rnd() * entries.reduce((sum, [, w]) => sum + w, 0);
  for (const [code, w] of entries) {
    r -= w;
    if (r < 0) return code === 'null' ? null : code;
  }
  return null;
}

const DOORS = {
  youth_self: 14,
  child_protection: 15,
  law_enforcement: 12,
  shelter_or_outreach: 12,
  social_services: 10,
  education: 9,
  family_or_friend: 8,
  mental_health: 6,
  health_care: 5,
  corrections_probation: 4,
  other_professional: 2,
  community_member: 2,
  null: 6,
};
const ENTRY_HOUSING = {
  with_family: 28,
  with_friends: 20,
  street_unsheltered: 12,
  emergency_shelter: 10,
  foster_care: 10,
  transitional_supportive: 5,
  own_place: 4,
  institution: 3,
  unknown: 4,
  null: 4,
};

/** How a synthetic young person came in, what they have been through and where they were living. */
export function evaluationAnswers(rnd: () => number, v: Vocabularies) {
  const e = rnd();
  const exploitation =
    e < 0.38
      ? ['at_risk']
      : e < 0.68
        ? ['sexual_exploitation']
        : e < 0.86
          ? ['sex_trafficking']
          : e < 0.91
            ? ['sex_trafficking', 'labor_trafficking']
            : e < 0.95
              ? ['labor_trafficking']
              : [];
  const known = new Set(v.exploitationTypes.map((x) => x.code));
  return {
    door: weighted(rnd, DOORS, v.doors),
    exploitation: exploitation.filter((c) => known.has(c)),
    entryHousing: weighted(rnd, ENTRY_HOUSING, v.exitHousing),
  };
}
