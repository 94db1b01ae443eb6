/**
 * Safety plans: each save a new version (never overwritten), encrypted under the case's key, reads and
 * saves audited and saves on the timeline; the form (pre-filled with the latest version, errors naming
 * the field, rows kept as typed), earlier versions, and the printable "My safety plan" (large plain
 * words, tap-to-call, no case number, region or agency words).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { addStaff, staffRequests, type TestStaff } from '../../../test/staff.ts';
import { caseEvents, pageWith } from '../../../test/coordination.ts';
import { ServiceError } from '../../platform/errors.ts';
import {
  EMPTY_PLAN,
  checkSafetyPlan,
  readSafetyPlan,
  saveSafetyPlan,
  type SafetyPlanContent,
} from './service.ts';
import { coordinationContext, type CoordinationContext } from '../tasks/service.ts';
import { ORIGIN, addCase } from '../tasks/testing.ts';

let t: TestApp;
let ctx: CoordinationContext;
let nav: TestStaff;
let southeastNav: TestStaff;
let admin: TestStaff;
let caseId: string;

const PLAN: SafetyPlanContent = {
  warningSigns: ['Synthetic: someone offers a ride and gifts', 'Being asked to keep secrets'],
  safePeople: [{ name: 'Synthetic Aunt Rae', contact: '612-555-0142' }],
  safePlaces: ['Synthetic library on 4th Street'],
  codeWord: 'pineapple',
  inDanger: 'Go to the library desk.\nCall Day One.',
  lines: ['day-one', 'national-human-trafficking-hotline'],
  customLines: [{ name: 'Synthetic school counsellor', phone: '(612) 555-0177' }],
};

const { get, post } = staffRequests(() => t);

async function codeOf(promise: Promise<unknown>): Promise<[string, string | undefined]> {
  return promise.then(
    () => ['ok', undefined],
    (e: unknown) => {
      if (e instanceof ServiceError) return [e.code, e.field];
      throw e;
    },
  );
}

beforeAll(async () => {
  t = await testApp();
  ctx = coordinationContext(t.deps);
  nav = await addStaff(t.deps, 'navigator', ['west-metro'], { name: 'Synthetic Navigator' });
  southeastNav = await addStaff(t.deps, 'navigator', ['southeast']);
  admin = await addStaff(t.deps, 'state_admin');
  caseId = await addCase(t.deps);
});
afterAll(async () => {
  await t.close();
});

describe('checking a plan', () => {
  const lines = () => t.deps.geography.get().lines;

  it('accepts a full plan and refuses what does not fit, naming the field', () => {
    expect(checkSafetyPlan(PLAN, lines())).toEqual(PLAN);
    const bad = (plan: unknown) => {
      try {
        checkSafetyPlan(plan, lines());
        return null;
      } catch (e) {
        return (e as ServiceError).field;
      }
    };
    expect(bad({ ...PLAN, lines: ['no-such-line'] })).toBe('lines');
    expect(bad({ ...PLAN, safePeople: [{ name: 'Synthetic', contact: '' }] })).toBe('safePeople-0-contact');
    expect(bad({ ...PLAN, customLines: [{ name: 'x', phone: 'call me' }] })).toBe('customLines-0-phone');
    expect(bad({ ...PLAN, warningSigns: Array.from({ length: 16 }, (_, i) => `sign ${i}`) })).toBe(
      'warningSigns',
    );
    expect(bad({ ...PLAN, codeWord: 'x'.repeat(101) })).toBe('codeWord');
    expect(bad({ ...PLAN, extra: true })).toBeTruthy();
  });
});

describe('saving and reading', () => {
  it('saves versions, never overwriting, encrypted; reads are audited', async () => {
    expect(await saveSafetyPlan(ctx, nav.actor, caseId, PLAN, t.deps.geography.get().lines, ORIGIN)).toBe(1);
    const second = { ...PLAN, codeWord: 'mango' };
    expect(await saveSafetyPlan(ctx, nav.actor, caseId, second, t.deps.geography.get().lines, ORIGIN)).toBe(
      2,
    );
    const rows = await t.deps.db
      .selectFrom('safety_plans')
      .select(['version', 'content_encrypted'])
      .where('case_id', '=', caseId)
      .orderBy('version')
      .execute();
    expect(rows.map((r) => r.version)).toEqual([1, 2]);
    for (const r of rows) expect(r.content_encrypted.toString('latin1')).not.toContain('pineapple');

    const latest = await readSafetyPlan(ctx, nav.actor, caseId, ORIGIN);
    expect(latest.current?.version).toBe(2);
    expect(latest.current?.content.codeWord).toBe('mango');
    expect(latest.versions.map((v) => v.version)).toEqual([2, 1]);
    const first = await readSafetyPlan(ctx, admin.actor, caseId, ORIGIN, { version: 1 });
    expect(first.current?.content).toEqual(PLAN);
    expect(await codeOf(readSafetyPlan(ctx, nav.actor, caseId, ORIGIN, { version: 9 }))).toEqual([
      'not_found',
      undefined,
    ]);

    const events = await caseEvents(t.deps.db, caseId, ['safety_plan.saved']);
    expect(events.map((e) => e.detail.version)).toEqual([1, 2]);
    const audit = await t.deps.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('action', 'in', ['safety_plan.save', 'safety_plan.read'])
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'safety_plan.save',
      'safety_plan.save',
      'safety_plan.read',
      'safety_plan.read',
    ]);
    expect(JSON.stringify(audit)).not.toContain('pineapple');
  });

  it('refuses an empty plan, another region, roles that cannot write, and a closed case', async () => {
    const lines = t.deps.geography.get().lines;
    expect(await codeOf(saveSafetyPlan(ctx, nav.actor, caseId, EMPTY_PLAN, lines, ORIGIN))).toEqual([
      'invalid',
      'warningSigns',
    ]);
    expect((await codeOf(saveSafetyPlan(ctx, southeastNav.actor, caseId, PLAN, lines, ORIGIN)))[0]).toBe(
      'not_found',
    );
    expect((await codeOf(readSafetyPlan(ctx, southeastNav.actor, caseId, ORIGIN)))[0]).toBe('not_found');
    expect((await codeOf(saveSafetyPlan(ctx, admin.actor, caseId, PLAN, lines, ORIGIN)))[0]).toBe(
      'forbidden',
    );
    const closed = await addCase(t.deps, { status: 'closed' });
    expect((await codeOf(saveSafetyPlan(ctx, nav.actor, closed, PLAN, lines, ORIGIN)))[0]).toBe('conflict');
  });
});

describe('the pages', () => {
  it('shows the plan, a form pre-filled with the latest version, and the versions', async () => {
    await pageWith(await get(nav, `/staff/cases/${caseId}/safety-plan`), 200, [
      'aria-current="page">Safety plan</a>',
      'The plan now',
      'value="mango"',
      'value="Synthetic Aunt Rae"',
      'name="lines" value="day-one" checked=""',
      `href="/staff/cases/${caseId}/safety-plan?version=1"`,
    ]);
    const old = await (await get(nav, `/staff/cases/${caseId}/safety-plan?version=1`)).text();
    expect(old).toContain('Version 1 (an earlier version)');
    expect(old).toContain('pineapple');
    expect(old).not.toContain('Save a new version');
    expect((await get(nav, `/staff/cases/${caseId}/safety-plan?version=x`)).status).toBe(404);
    expect((await get(southeastNav, `/staff/cases/${caseId}/safety-plan`)).status).toBe(404);
    const adminPage = await (await get(admin, `/staff/cases/${caseId}/safety-plan`)).text();
    expect(adminPage).toContain('mango');
    expect(adminPage).not.toContain('Save a new version');
  });

  it('saves from the form, and sends a refused form back as typed with the field named', async () => {
    const fresh = await addCase(t.deps);
    const empty = await (await get(nav, `/staff/cases/${fresh}/safety-plan`)).text();
    expect(empty).toContain('There is no safety plan yet');
    const bad = await post(nav, `/staff/cases/${fresh}/safety-plan`, [
      ['warningSigns', 'Synthetic sign'],
      ['safePeople-0-name', ''],
      ['safePeople-1-name', 'Synthetic Friend'],
      ['safePeople-1-contact', ''],
    ]);
    await pageWith(bad, 400, ['<a href="#safePeople-1-contact">', 'value="Synthetic Friend"']);
    const badPhone = await post(nav, `/staff/cases/${fresh}/safety-plan`, [
      ['customLines-1-name', 'Synthetic shelter'],
      ['customLines-1-phone', 'ask at desk'],
    ]);
    expect(await badPhone.text()).toContain('<a href="#customLines-1-phone">');
    const tooLong = await post(nav, `/staff/cases/${fresh}/safety-plan`, [
      ['warningSigns', `ok\n${'x'.repeat(301)}`],
    ]);
    expect(await tooLong.text()).toContain('Warning signs, line 2:');
    const ok = await post(nav, `/staff/cases/${fresh}/safety-plan`, [
      ['warningSigns', 'Synthetic sign one\n\nSynthetic sign two\n'],
      ['safePeople-0-name', 'Synthetic Friend'],
      ['safePeople-0-contact', '651-555-0123'],
      ['codeWord', 'kiwi'],
      ['lines', 'day-one'],
      ['lines', 'emergency-911'],
    ]);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`/staff/cases/${fresh}/safety-plan?done=saved`);
    const plan = await readSafetyPlan(ctx, nav.actor, fresh, ORIGIN);
    expect(plan.current?.content).toMatchObject({
      warningSigns: ['Synthetic sign one', 'Synthetic sign two'],
      safePeople: [{ name: 'Synthetic Friend', contact: '651-555-0123' }],
      codeWord: 'kiwi',
      lines: ['day-one', 'emergency-911'],
      inDanger: null,
    });
    expect((await post(admin, `/staff/cases/${fresh}/safety-plan`, [['codeWord', 'x']])).status).toBe(403);
    // The emergency line says its number once.
    const shown = await (await get(nav, `/staff/cases/${fresh}/safety-plan?done=saved`)).text();
    expect(shown).toContain('The safety plan is saved');
    expect(shown).toContain('<li>Emergency: 911</li>');
    expect(shown).not.toContain('911: 911');
    const printed = await (await get(nav, `/staff/cases/${fresh}/safety-plan/print`)).text();
    expect(printed).toContain('Emergency: call <a href="tel:911">911</a>');
    expect(printed).not.toContain('911: call');
  });

  it('prints "My safety plan": plain words, tap-to-call, no case number, region or agency words; audited', async () => {
    const page = await pageWith(await get(nav, `/staff/cases/${caseId}/safety-plan/print`), 200, [
      '<title>My safety plan</title>',
      '<h1>My safety plan</h1>',
      'mango',
      '<a href="tel:6125550142">612-555-0142</a>',
      '<a href="tel:6125550177">(612) 555-0177</a>',
      '<a href="tel:+18662231111">1-866-223-1111</a>',
      '<a href="sms:+16123999995">612-399-9995</a>',
      '<a href="tel:911">911</a>',
      '@media print',
    ]);
    const printed = page.replace(/<p class="staff-only">[\s\S]*?<\/p>/, '');
    expect(printed).not.toContain(caseId);
    for (const word of ['West Metro', 'Synthetic Sky', 'navigator', 'case', 'No Wrong Door'])
      expect(printed.replace(/<style[\s\S]*?<\/style>/, '')).not.toContain(word);
    const old = await (await get(nav, `/staff/cases/${caseId}/safety-plan/print?version=1`)).text();
    expect(old).toContain('pineapple');
    const audit = await t.deps.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', '=', 'safety_plan.print')
      .where(sql<boolean>`details->>'case' = ${caseId}`)
      .execute();
    expect(audit).toHaveLength(2);
    const none = await addCase(t.deps);
    expect((await get(nav, `/staff/cases/${none}/safety-plan/print`)).status).toBe(404);
  });
});
