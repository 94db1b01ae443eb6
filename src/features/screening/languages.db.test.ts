/**
 * `/identify` in Spanish, Somali and Hmong: every step and the answer page answer in the page's
 * language (`<html lang>`, translated words, the checklist's questions and the pathway's steps from the
 * catalogue), forms post to the prefixed address, links stay in the language, errors and deadlines are
 * in the page's language. And the stated reading level of each English page is its measured grade.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { fleschKincaidGrade, mainText } from '../../../test/reading-level.ts';
import { shippedCatalogue, translator, type Locale } from '../../platform/i18n/index.ts';
import { READING_GRADES } from './reading-levels.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const unescape = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The hidden fields of the first form posting to `action`. */
function hiddenFields(html: string, action: string): [string, string][] {
  const start = html.indexOf(`<form method="post" action="${action}"`);
  if (start < 0) throw new Error(`no form posting to ${action}`);
  const form = html.slice(start, html.indexOf('</form>', start));
  return [...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/?>/g)].map((m) => [
    m[1]!,
    unescape(m[2]!),
  ]);
}

const base = (locale: Locale) => (locale === 'en' ? '/identify' : `/${locale}/identify`);

async function answer(
  locale: Locale,
  html: string,
  values: [string, string][],
  go: 'next' | 'back' = 'next',
): Promise<{ status: number; html: string }> {
  const res = await t.app.request(base(locale), {
    method: 'POST',
    body: new URLSearchParams([...hiddenFields(html, base(locale)), ...values, ['go', go]]).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  return { status: res.status, html: await res.text() };
}

/** The shipped checklist's groups with a careful person's answers (a 15-year-old in Minneapolis). */
const STEPS: [group: string, values: [string, string][]][] = [
  ['safety', [['a.danger_now', 'no']]],
  ['you', [['a.reporter_role', 'education']]],
  [
    'young_person',
    [
      ['a.age', '15'],
      ['a.county', ''],
      ['zip.county', '55401'],
    ],
  ],
  [
    'care',
    [
      ['a.in_care', 'no'],
      ['a.missing_now', 'no'],
      ['a.found_after_missing', 'no'],
      ['a.foreign_national', 'no'],
    ],
  ],
  [
    'happening',
    [
      ['a.exchange', 'yes'],
      ['a.third_party', 'unknown'],
      ['a.caregiver', 'no'],
      ['a.labor', 'no'],
    ],
  ],
  [
    'vulnerability',
    [
      ['a.risk_factors', 'homeless_or_runaway'],
      ['a.risk_factors', 'young_age'],
    ],
  ],
];

/** Every page of a walk through the questions: the first page, each next step, the answer page. */
async function walk(locale: Locale): Promise<string[]> {
  const first = await t.app.request(base(locale));
  expect(first.status).toBe(200);
  const pages = [await first.text()];
  for (const [, values] of STEPS) {
    const next = await answer(locale, pages.at(-1)!, values);
    expect(next.status, next.html.slice(0, 300)).toBe(200);
    pages.push(next.html);
  }
  return pages;
}

const h1 = (html: string) => /<h1>([^<]*)<\/h1>/.exec(html)?.[1] ?? '';

const WORDS: Record<
  Exclude<Locale, 'en'>,
  { step: string; next: string; answerTitle: string; report: string }
> = {
  es: {
    step: 'Paso 1 de 6',
    next: 'Siguiente',
    answerTitle: 'Qué hacer ahora',
    report: 'Reporte a protección infantil o a la policía en 24 horas como máximo',
  },
  so: {
    step: 'Tallaabada 1 ee 6',
    next: 'Xiga',
    answerTitle: 'Waxa xiga ee la sameeyo',
    report: 'U soo sheeg ilaalinta carruurta ama sharci fulinta gudaha 24 saacadood',
  },
  hmn: {
    step: 'Kauj ruam 1 ntawm 6',
    next: 'Mus ntxiv',
    answerTitle: 'Yuav ua li cas tom ntej',
    report: 'Qhia rau kev tiv thaiv menyuam yaus los sis tub ceev xwm hauv 24 teev',
  },
};

describe.each(['es', 'so', 'hmn'] as const)('/%s/identify', (locale) => {
  const tr = translator(locale);
  const words = WORDS[locale];
  /** A text of the checklist in this language (`data.instrument.safe-harbor-indicators.<path>`). */
  const checklist = (path: string) => {
    const key = `data.instrument.safe-harbor-indicators.${path}`;
    return tr.dataText(key, (shippedCatalogue().english as Record<string, string>)[key]!);
  };

  it('asks every question in the language, posting to the prefixed address, through to the answer', async () => {
    const pages = await walk(locale);
    for (const [n, html] of pages.entries()) {
      expect(html).toContain(`<html lang="${locale}"`);
      // Every form of the questions posts in the language; no form or link goes back to English.
      expect(html).not.toMatch(/action="\/identify/);
      // (The language switch and the draft notice link to the English page on purpose.)
      const english = [...html.matchAll(/<[^>]*href="\/(identify|navigator|learn|services)\b[^>]*>/g)];
      expect(english.filter(([tag]) => !tag.includes('hreflang="')).map(([tag]) => tag)).toEqual([]);
      // The script sends the steps to the page's own address.
      expect(html).toContain(`A="/${locale}/identify"`);
      if (n < STEPS.length) {
        const group = STEPS[n]![0];
        expect(h1(html)).toBe(checklist(`group.${group}.title`));
        expect(html).toContain(`action="/${locale}/identify"`);
        expect(html).toContain(tr.text('identify.step', { step: n + 1, total: 6 }));
        expect(html).toContain(`>${n + 1 === 6 ? tr.text('identify.seeWhatToDo') : words.next}</button>`);
      }
    }
    expect(pages[0]).toContain(words.step);
    expect(pages[0]).toContain(`href="/${locale}/learn/your-rights"`);
    expect(pages[0]).toContain(`>${tr.text('identify.choice.yes')}</label>`);
    expect(pages[2]).toContain(`>${tr.text('identify.choice.unknown')}</label>`);
    // A question, its help and a choice of the checklist, from the catalogue.
    expect(pages[1]).toContain(checklist('reporter_role.option.education.label'));
    expect(pages[2]).toContain(checklist('age.question'));

    const result = pages.at(-1)!;
    expect(h1(result)).toBe(words.answerTitle);
    expect(result).toContain(words.report);
    expect(result).toContain(`action="/${locale}/identify/refer"`);
    expect(result).toContain(`href="/${locale}/navigator?county=27053"`);
    expect(result).toContain(tr.text('identify.refer.button'));
    // The deadline, 24 hours from when the answer was worked out, as a date in the page's language.
    const at = new Date(hiddenFields(result, base(locale)).find(([k]) => k === 'at')![1]);
    const due = new Date(at.getTime() + 24 * 3_600_000);
    expect(result).toContain(tr.date(due, true));
    expect(result).toContain(tr.text('identify.due.within', { hours: 24 }));
    // No English left (the language switch names English in English), the legal basis included.
    expect(result).toContain(tr.text('identify.action.basis'));
    expect([...result.matchAll(/<[^>]* lang="en"[^>]*>([^<]*)</g)].map((m) => m[0])).toEqual([
      '<a href="/identify" lang="en" hreflang="en">English<',
    ]);
  });

  it('says what is wrong in the language', async () => {
    const first = await (await t.app.request(base(locale))).text();
    const wrong = await answer(locale, first, []);
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain(`<h2>${tr.text('layout.errorSummary')}</h2>`);
    expect(wrong.html).toContain(`<a href="#q-danger_now-0">${tr.text('identify.error.chooseAnswer')}</a>`);
    const you = await answer(locale, first, [['a.danger_now', 'no']]);
    const young = await answer(locale, you.html, [['a.reporter_role', 'education']]);
    const zip = await answer(locale, young.html, [
      ['a.age', '150'],
      ['zip.county', '55007'],
    ]);
    expect(zip.status).toBe(400);
    expect(zip.html).toContain(
      tr.text('identify.error.rangeUnit', { min: 0, max: 99, unit: checklist('age.unit') }),
    );
    expect(zip.html).toContain(
      tr.text('identify.error.zipMany', { zip: '55007', counties: 'Kanabec, Pine' }),
    );
  });

  it('asks to start again in the language when a form cannot be read', async () => {
    const res = await t.app.request(base(locale), {
      method: 'POST',
      body: 'instrument=nothing&step=1',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(h1(html)).toBe(tr.text('identify.startAgain.title'));
    expect(html).toContain(`href="/${locale}/identify"`);
  });
});

describe('the contacts of the pathway on the answer page', () => {
  it.each(['en', 'es'] as const)(
    'say only that they are not confirmed yet, never where the facts come from (%s)',
    async (locale) => {
      const pages = await walk(locale);
      const answers: [string, string][] = [
        ...hiddenFields(pages.at(-1)!, base(locale)).filter(
          ([k]) => !['a.reporter_role', 'a.foreign_national', 'a.american_indian', 'step', 'at'].includes(k),
        ),
        ['step', '6'],
        ['a.reporter_role', 'law_enforcement'],
        ['a.foreign_national', 'yes'],
        ['a.american_indian', 'yes'],
      ];
      const res = await t.app.request(base(locale), {
        method: 'POST',
        body: new URLSearchParams([...answers, ['go', 'next']]).toString(),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      const html = await res.text();
      expect(res.status).toBe(200);
      const tr = translator(locale);
      expect(html).toContain(
        tr.dataText(
          'data.pathway.contact.otip.name',
          'Office on Trafficking in Persons (OTIP), Request for Assistance',
        ),
      );
      expect(html).toContain(tr.text('identify.contact.unconfirmed'));
      expect(html).not.toMatch(/domain notes|seed document|\.json\b/);
    },
  );
});

describe('the reading level of the English pages', () => {
  it('is stated on each page, as the grade the page measures', async () => {
    const pages = await walk('en');
    const keys = [...STEPS.map(([group]) => `safe-harbor-indicators/${group}`), 'answer'];
    const found = pages.map((html, n) => ({
      page: keys[n],
      stated: Number(/Written for professionals: about grade (\d+) reading level\./.exec(html)?.[1]),
      measured: Math.round(fleschKincaidGrade(mainText(html))),
      exact: fleschKincaidGrade(mainText(html)).toFixed(2),
    }));
    for (const f of found) {
      expect(f.stated, JSON.stringify(found)).toBe(f.measured);
      expect(READING_GRADES[f.page!]).toBe(f.stated);
    }
  });
});
