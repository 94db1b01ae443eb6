/**
 * What a message holds, beyond its words: the names of its placeholders and tags, which every language
 * must keep exactly (a translation that drops `{county}` or adds `<link>` would show the wrong page).
 */
import {
  isArgumentElement,
  isDateElement,
  isNumberElement,
  isPluralElement,
  isSelectElement,
  isTagElement,
  isTimeElement,
  parse,
  type MessageFormatElement,
} from '@formatjs/icu-messageformat-parser';

/** The placeholders (`{name}`, `{n, plural, …}`) and tags (`<link>…</link>`) a message uses, sorted. */
export function messageSlots(message: string): string[] {
  const slots = new Set<string>();
  const walk = (elements: MessageFormatElement[]) => {
    for (const element of elements) {
      if (
        isArgumentElement(element) ||
        isNumberElement(element) ||
        isDateElement(element) ||
        isTimeElement(element)
      )
        slots.add(`{${element.value}}`);
      else if (isPluralElement(element) || isSelectElement(element)) {
        slots.add(`{${element.value}}`);
        for (const option of Object.values(element.options)) walk(option.value);
      } else if (isTagElement(element)) {
        slots.add(`<${element.value}>`);
        walk(element.children);
      }
    }
  };
  walk(parse(message));
  return [...slots].sort();
}

/**
 * Why a translation does not fit its English message, or null when it does: a message that does not
 * parse, or placeholders and tags that differ.
 *
 * @example
 * slotProblem('Call {name}', 'Llame a {nombre}'); // 'has {nombre} and lacks {name} (English: {name})'
 */
export function slotProblem(english: string, translation: string): string | null {
  let theirs: string[];
  try {
    theirs = messageSlots(translation);
  } catch (error) {
    return `does not parse as ICU MessageFormat (${(error as Error).message})`;
  }
  const ours = messageSlots(english);
  const missing = ours.filter((slot) => !theirs.includes(slot));
  const extra = theirs.filter((slot) => !ours.includes(slot));
  if (missing.length === 0 && extra.length === 0) return null;
  const parts: string[] = [];
  if (extra.length > 0) parts.push(`has ${extra.join(', ')}`);
  if (missing.length > 0) parts.push(`lacks ${missing.join(', ')}`);
  return `${parts.join(' and ')} (English: ${ours.join(', ') || 'none'})`;
}
