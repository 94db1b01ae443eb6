/**
 * The learn pages and the privacy notice read at grade 6 or below (Flesch–Kincaid, over the main
 * content); the professionals' page may read higher, and then says so, with the grade measured.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { fleschKincaidGrade, mainText } from '../../../test/reading-level.ts';
import { LEARN_PAGES, PROFESSIONALS_GRADE } from './content.tsx';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

async function grade(path: string): Promise<{ grade: number; text: string }> {
  const res = await t.app.request(path);
  expect(res.status, path).toBe(200);
  const text = mainText(await res.text());
  return { grade: fleschKincaidGrade(text), text };
}

describe('reading level of the English learn pages', () => {
  const plain = [
    '/learn',
    ...LEARN_PAGES.filter((p) => p.audience !== 'professional').map((p) => `/learn/${p.slug}`),
    '/privacy',
  ];
  it.each(plain)('%s is at grade 6 or below', async (path) => {
    expect((await grade(path)).grade).toBeLessThanOrEqual(6);
  });

  it('/learn/for-professionals states its reading level, and the stated grade is the measured one', async () => {
    const { grade: measured, text } = await grade('/learn/for-professionals');
    const stated = /Written for professionals: about grade (\d+) reading level\./.exec(text);
    expect(stated, 'the page states its reading level').not.toBeNull();
    expect(Number(stated?.[1])).toBe(PROFESSIONALS_GRADE);
    expect(Math.round(measured)).toBe(PROFESSIONALS_GRADE);
  });
});
