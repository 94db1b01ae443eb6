/**
 * Flesch–Kincaid grade level of English text, for the reading-level tests of the public pages:
 * 0.39 × (words / sentences) + 11.8 × (syllables / words) − 15.59. Syllables are counted by vowel
 * groups with the usual English corrections (a silent final e, -le, -ed), which is what readability
 * tools do; the grade of a page is measured over its main content's words.
 */

/** Syllables of one English word, at least 1. */
export function syllables(word: string): number {
  let w = word.toLowerCase().replace(/[^a-z]/g, '');
  if (w.length === 0) return 0;
  if (w.length <= 3) return 1;
  w = w.replace(/(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$/, '').replace(/^y/, '');
  const groups = w.match(/[aeiouy]{1,2}/g);
  return Math.max(1, groups?.length ?? 1);
}

/** The text's sentences (ending in . ! ? : or a line break) and words (with a letter). */
export function textStatistics(text: string): { sentences: number; words: number; syllables: number } {
  const sentences = text
    .split(/[.!?:;]+(?:\s|$)|\n+/)
    .map((s) => s.trim())
    .filter((s) => /[a-z]/i.test(s));
  const words = text.split(/[\s/–—-]+/).filter((w) => /[a-z]/i.test(w));
  return {
    sentences: Math.max(1, sentences.length),
    words: words.length,
    syllables: words.reduce((sum, w) => sum + syllables(w), 0),
  };
}

/**
 * The Flesch–Kincaid grade of `text`.
 *
 * @example
 * fleschKincaidGrade('Help is free. You can ask any time.'); // about -1
 */
export function fleschKincaidGrade(text: string): number {
  const { sentences, words, syllables: s } = textStatistics(text);
  if (words === 0) return 0;
  return 0.39 * (words / sentences) + 11.8 * (s / words) - 15.59;
}

/** The readable text of a page's `<main>`: tags dropped, each block element a line, entities decoded. */
export function mainText(html: string): string {
  const main = /<main\b[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? html;
  return main
    .replace(/<(script|style|select|svg)\b[\s\S]*?<\/\1>/g, ' ')
    .replace(/<\/(p|li|h[1-6]|dt|dd|td|th|label|button|summary|legend|div|section|aside)>/g, '\n')
    .replace(/<br\s*\/?>/g, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#39;|&rsquo;|’/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&[a-z]+;|&#\d+;/g, ' ')
    .replace(/[ \t]+/g, ' ');
}
