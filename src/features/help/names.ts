/**
 * How people type place names, and how we compare them.
 */

/**
 * The comparable form of a county or city name: lower case, "saint" and "st" alike, no punctuation,
 * no trailing "county".
 *
 * @example
 * normalizePlace('St. Louis County') // 'saint louis'
 * normalizePlace('lac qui parle')    // 'lac qui parle'
 */
export function normalizePlace(input: string): string {
  return input
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\bst\b/g, 'saint')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/ county$/, '');
}

/**
 * The URL form of a county name.
 *
 * @example
 * countySlug('Lake of the Woods') // 'lake-of-the-woods'
 * countySlug('St. Louis')         // 'saint-louis'
 */
export function countySlug(name: string): string {
  return normalizePlace(name).replace(/ /g, '-');
}
