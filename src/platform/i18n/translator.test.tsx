import { describe, expect, it } from 'vitest';
import { shippedCatalogue, translator, type Catalogue, type MessageKey } from './index.ts';

/** A small catalogue over the shipped keys, with one message of each kind. */
function catalogueWith(
  english: Record<string, string>,
  es: Record<string, { text: string | null; status: string; source?: string }>,
): Catalogue {
  const base = shippedCatalogue();
  return {
    english: { ...base.english, ...english } as Catalogue['english'],
    translations: {
      ...base.translations,
      es: { ...base.translations.es, ...es } as Catalogue['translations']['es'],
    },
  };
}

const K = (key: string) => key as MessageKey;

describe('a translator', () => {
  const catalogue = catalogueWith(
    {
      'test.beds': '{count, plural, one {# bed} other {# beds}} free',
      'test.missing': 'Only in English',
      'test.link': 'Read <link>the page</link>.',
      'test.changed': 'New English',
    },
    {
      'test.beds': { text: '{count, plural, one {# cama libre} other {# camas libres}}', status: 'reviewed' },
      'test.missing': { text: null, status: 'untranslated' },
      'test.link': { text: 'Lea <link>la página</link>.', status: 'approved' },
      'test.changed': { text: 'Inglés viejo', status: 'reviewed', source: 'Old English' },
    },
  );

  it('formats plurals in the language', () => {
    expect(translator('es', catalogue).text(K('test.beds'), { count: 1 })).toBe('1 cama libre');
    expect(translator('es', catalogue).text(K('test.beds'), { count: 3 })).toBe('3 camas libres');
    expect(translator('en', catalogue).text(K('test.beds'), { count: 1 })).toBe('1 bed free');
  });

  it('shows a missing translation in English, marked as English', async () => {
    const t = translator('es', catalogue);
    expect(String(await (<p>{t(K('test.missing'))}</p>).toString())).toBe(
      '<p><span lang="en">Only in English</span></p>',
    );
    expect(t.allChecked()).toBe(false);
  });

  it('renders tags through the functions given', async () => {
    const t = translator('es', catalogue);
    const html = await (
      <p>{t(K('test.link'), { link: (chunks) => <a href={t.path('/privacy')}>{chunks}</a> })}</p>
    ).toString();
    expect(String(html)).toBe('<p>Lea <a href="/es/privacy">la página</a>.</p>');
    expect(t.allChecked()).toBe(true);
  });

  it('counts a translation whose English changed as not checked', () => {
    const t = translator('es', catalogue);
    expect(t.text(K('test.changed'))).toBe('Inglés viejo');
    expect(t.allChecked()).toBe(false);
  });

  it('says when a page used a drafted message', () => {
    const t = translator('so');
    t.text('layout.quickExit');
    expect(t.allChecked()).toBe(false);
    const en = translator('en');
    en.text('layout.quickExit');
    expect(en.allChecked()).toBe(true);
  });

  it('uses the pack data’s translation only while its English is unchanged', async () => {
    const data = catalogueWith(
      { 'data.line.x.description': 'Call us any time.' },
      { 'data.line.x.description': { text: 'Llámenos cuando quiera.', status: 'drafted' } },
    );
    const t = translator('es', data);
    expect(t.dataText('data.line.x.description', 'Call us any time.')).toBe('Llámenos cuando quiera.');
    expect(
      String(await (<p>{t.data('data.line.x.description', 'Call us day or night.')}</p>).toString()),
    ).toBe('<p><span lang="en">Call us day or night.</span></p>');
    expect(translator('en', data).dataText('data.line.x.description', 'Call us day or night.')).toBe(
      'Call us day or night.',
    );
  });

  it('writes dates in each language in Minnesota time', () => {
    // 03:30 UTC on the 8th is still the 7th in Minnesota.
    const d = new Date('2026-12-08T03:30:00Z');
    expect(translator('en').date(d)).toBe('December 7, 2026');
    expect(translator('es').date(d)).toBe('7 de diciembre de 2026');
    expect(translator('so').date(d, true)).toMatch(/Isniin/);
    expect(translator('hmn').date(d, true)).toBe('Hnub Ib, 7 Lub Kaum Ob Hlis 2026');
    expect(translator('en').time(d)).toBe('9:30 PM');
    expect(translator('en').monthYear('2026-11-21')).toBe('November 2026');
    expect(translator('es').monthYear('2026-11-21')).toBe('noviembre de 2026');
    expect(translator('hmn').monthYear('2026-11-21')).toBe('Lub Kaum Ib Hlis 2026');
  });

  it('puts links in the page’s language', () => {
    expect(translator('hmn').path('/navigator')).toBe('/hmn/navigator');
    expect(translator('es').path('/')).toBe('/es/');
    expect(translator('en').path('/map')).toBe('/map');
  });
});
