/** What other features may use of the directory. */

/** The languages the directory records as codes (as its filter reads them), with their English names. */
export const LANGUAGE_NAMES: Record<string, string> = {
  en: 'English',
  es: 'Spanish',
  so: 'Somali',
  hmn: 'Hmong',
  om: 'Oromo',
  vi: 'Vietnamese',
  kar: 'Karen',
  ar: 'Arabic',
  am: 'Amharic',
  oj: 'Ojibwe',
  dak: 'Dakota',
  fr: 'French',
  ru: 'Russian',
  zh: 'Chinese',
  asl: 'American Sign Language',
};
