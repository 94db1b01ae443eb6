/**
 * Catalogue keys of the ruleset's plain-language texts (each action's title and explanation, for each
 * audience, its legal basis, and its contacts' names and notes), so public pages can show them in the page's language
 * with `t.data(key, english)`. The keys follow the ruleset: `data.pathway.<code>[.v<n>].<audience>.<field>`
 * (`v<n>`: the rule's n-th variant); when another version of the same rule says something else under
 * the same key, that version's key ends in its first day (`.<effectiveFrom>`).
 */
import type { Ruleset } from './ruleset.ts';

const keysByRuleset = new WeakMap<Ruleset, Map<string, string>>();

/**
 * English text → its catalogue key, for every title and explanation of the ruleset's rules, and each
 * rule's legal basis as cited (`data.pathway.<code>.basis.<n>`).
 */
export function pathwayTextKeys(ruleset: Ruleset): Map<string, string> {
  const known = keysByRuleset.get(ruleset);
  if (known) return known;
  const byKey = new Map<string, string>();
  const byText = new Map<string, string>();
  for (const rule of ruleset.rules) {
    const texts: [string, Record<string, { title: string; explanation: string }>][] = [
      ['', rule.text],
      ...(rule.variants ?? []).map((v, i): [string, typeof rule.text] => [`.v${i}`, v.text]),
    ];
    for (const [variant, byAudience] of texts)
      for (const [audience, text] of Object.entries(byAudience))
        for (const field of ['title', 'explanation'] as const) {
          const english = text[field];
          let key = `data.pathway.${rule.code}${variant}.${audience}.${field}`;
          const taken = byKey.get(key);
          if (taken !== undefined && taken !== english) key = `${key}.${rule.effectiveFrom ?? 'start'}`;
          byKey.set(key, english);
          if (!byText.has(english)) byText.set(english, key);
        }
    rule.basis.forEach((basis, n) => {
      let key = `data.pathway.${rule.code}.basis.${n}`;
      const taken = byKey.get(key);
      if (taken !== undefined && taken !== basis.citation) key = `${key}.${rule.effectiveFrom ?? 'start'}`;
      byKey.set(key, basis.citation);
      if (!byText.has(basis.citation)) byText.set(basis.citation, key);
    });
  }
  keysByRuleset.set(ruleset, byText);
  return byText;
}

/** The catalogue key of a contact's field in this ruleset (`name` or `note`). */
export const pathwayContactKey = (id: string, field: 'name' | 'note'): string =>
  `data.pathway.contact.${id}.${field}`;
