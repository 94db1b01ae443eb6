/**
 * The public event pages in Spanish, Somali and Hmong: the page's language and words, dates and times
 * in the language (Minnesota time), links and forms that stay in the language while the calendar files
 * stay where they are, and a registration and its own page in Spanish. The English list's reading
 * level. Synthetic data only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { fleschKincaidGrade, mainText } from '../../../test/reading-level.ts';
import { addStaff } from '../../../test/staff.ts';
import { translator } from '../../platform/i18n/index.ts';
import { issueFormToken } from '../intake/index.ts';
import { todayIn } from '../help/index.ts';
import { register } from './registrations.ts';
import { addDays } from './rules.ts';
import { createEvent, eventsContext, type EventsContext } from './service.ts';

let t: TestApp;
let ctx: EventsContext;
let id: string;
let date: string;
/** About the start of the synthetic event (11:00 in Minnesota), for the expected day in words. */
let startsAround: Date;

beforeAll(async () => {
  t = await testApp();
  ctx = eventsContext(t.deps);
  const trainer = await addStaff(t.deps, 'trainer');
  date = addDays(todayIn(ctx.timezone), 9);
  startsAround = new Date(`${date}T17:00:00Z`);
  id = await createEvent(
    ctx,
    trainer.actor,
    {
      title: 'Synthetic language training',
      kind: 'training',
      description: 'A synthetic training.',
      courseCode: '',
      startsOn: date,
      startTime: '11:00',
      endTime: '12:30',
      rrule: '',
      placeKind: 'in_person',
      placeName: 'Synthetic Hall',
      placeAddress: '1 Example Street, St Paul',
      onlineUrl: '',
      regionId: '',
      capacity: '',
      registration: 'public',
      organizerName: '',
    },
    { ip: '127.0.0.1', userAgent: 'vitest' },
  );
});
afterAll(async () => {
  await t.close();
});

async function publicRegister(path: string, fields: Record<string, string>) {
  const token = await issueFormToken(t.deps.keyring, 'event-registration', new Date(Date.now() - 10_000));
  return t.app.request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ form_token: token, website: '', ...fields }).toString(),
  });
}

const TITLES = {
  es: 'Capacitaciones y eventos',
  so: 'Tababarro iyo munaasabado',
  hmn: 'Kev cob qhia thiab kev tshwm sim',
};

describe.each(['es', 'so', 'hmn'] as const)('the event pages in %s', (lang) => {
  const day = () => translator(lang).date(startsAround, true);

  it('lists events with the day in the language, links in the language, calendar files unprefixed', async () => {
    const res = await t.app.request(`/${lang}/events`);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain(`<html lang="${lang}"`);
    expect(html).toContain(TITLES[lang]);
    expect(html).toContain(`href="/${lang}/events/${id}"`);
    expect(html).toContain(day());
    expect(html).toContain(`href="/events/${id}/calendar.ics"`);
    expect(html).toContain('href="/events.ics"');
    expect(html).not.toContain('Add to calendar');
  });

  it('shows one event with its dates and a registration link in the language', async () => {
    const html = await (await t.app.request(`/${lang}/events/${id}`)).text();
    expect(html).toContain(`<html lang="${lang}"`);
    expect(html).toContain('Synthetic language training');
    expect(html).toContain(day());
    expect(html).toContain(`href="/${lang}/events/${id}/register?date=${date}"`);
    expect(html).toContain(`href="/${lang}/events"`);
  });

  it('the registration form posts in the language', async () => {
    const html = await (await t.app.request(`/${lang}/events/${id}/register?date=${date}`)).text();
    expect(html).toContain(`<html lang="${lang}"`);
    expect(html).toContain(day());
    expect(html).toContain(`action="/${lang}/events/${id}/register?date=${date}"`);
  });

  it('says in the language that an event is not found', async () => {
    const res = await t.app.request(`/${lang}/events/00000000-0000-4000-8000-000000000000`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain(`<html lang="${lang}"`);
  });
});

describe('registering in Spanish', () => {
  it('shows a Spanish date with the time, Spanish problems, and the Spanish confirmation', async () => {
    const form = await (await t.app.request(`/es/events/${id}/register?date=${date}`)).text();
    const es = translator('es');
    expect(form).toContain(`${es.date(startsAround, true)}, de 11:00 a 12:30`);
    expect(form).toContain('(hora de Minnesota)');

    const bad = await publicRegister(`/es/events/${id}/register?date=${date}`, { name: '', email: 'nope' });
    const badHtml = await bad.text();
    expect(bad.status).toBe(400);
    expect(badHtml).toContain('Hay un problema');
    expect(badHtml).toContain('Escriba su nombre.');

    const res = await publicRegister(`/es/events/${id}/register?date=${date}`, {
      name: 'Synthetic Persona',
      email: 'synthetic.es@example.org',
      organization: '',
    });
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('<html lang="es"');
    expect(html).toContain('Está inscrito');
    expect(html).toContain('Tiene un lugar en Synthetic language training.');
  });

  it('the own registration page and its cancel form stay in Spanish', async () => {
    const done = await register(
      ctx,
      id,
      date,
      { name: 'Synthetic Uno', email: 'synthetic.uno@example.org', organization: 'Synthetic Org' },
      { channel: 'public' },
    );
    const html = await (await t.app.request(`/es/events/registration/${done.token}`)).text();
    expect(html).toContain('<html lang="es"');
    expect(html).toContain('Su inscripción');
    expect(html).toContain(`action="/es/events/registration/${done.token}"`);
    const cancelled = await (
      await t.app.request(`/es/events/registration/${done.token}`, { method: 'POST' })
    ).text();
    expect(cancelled).toContain('Su inscripción está cancelada.');
  });
});

describe('reading level of the English list', () => {
  it('/events is at most grade 6', async () => {
    const html = await (await t.app.request('/events')).text();
    expect(fleschKincaidGrade(mainText(html))).toBeLessThanOrEqual(6);
  });
});
