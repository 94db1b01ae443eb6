/**
 * The reading level each `/identify` page states: these are pages for professionals (they may be above
 * grade 6), so each says in one sentence how hard its English is. The grades are the Flesch–Kincaid grades of the
 * English pages (their `<main>`, as `test/reading-level.ts` measures it), rounded, for the shipped
 * checklist walked as in `languages.db.test.ts`, which checks that each stated grade is still the
 * measured one. A page of another instrument states none.
 */

/** By `<instrument id>/<group id>` for a step of the questions, `answer` for the answer page. */
export const READING_GRADES: Readonly<Record<string, number>> = {
  'safe-harbor-indicators/safety': 3,
  'safe-harbor-indicators/you': 5,
  'safe-harbor-indicators/young_person': 2,
  'safe-harbor-indicators/care': 3,
  'safe-harbor-indicators/happening': 4,
  'safe-harbor-indicators/vulnerability': 4,
  answer: 5,
};

/** The grade a step of the questions states, if known. */
export const stepGrade = (instrumentId: string, groupId: string): number | undefined =>
  READING_GRADES[`${instrumentId}/${groupId}`];
