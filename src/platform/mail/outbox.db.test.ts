import { PassThrough } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../../test/db.ts';
import { decryptField } from '../crypto/envelope.ts';
import { Keyring } from '../crypto/keyring.ts';
import { generateMasterKey } from '../crypto/master-key.ts';
import { createLogger } from '../log.ts';
import { deliverPending, describeFailure, enqueueEmail, retryDelayMs, type EmailToSend } from './outbox.ts';
import { mailDb } from './tables.ts';
import { EmailContentError, type SiteOrigin } from './templates.ts';
import { PermanentDeliveryError, type MailTransport, type OutgoingEmail } from './transport.ts';

const site: SiteOrigin = { origin: 'https://nwd.example.org', development: false };
const address = 'staff@example.org';
const silent = createLogger('silent');

let t: TestDatabase;
let keyring: Keyring;
beforeAll(async () => {
  t = await freshDatabase();
  // A random master key for this file's database: the shared data key is created under it.
  keyring = new Keyring(t.db, generateMasterKey());
});
afterAll(async () => {
  await t?.drop();
});
beforeEach(async () => {
  await mailDb(t.db).deleteFrom('email_outbox').execute();
});

function reset(n: number | string, to = address): EmailToSend<'password_reset'> {
  return {
    to,
    template: 'password_reset',
    params: { link: `https://nwd.example.org/reset/synthetic-token-${n}`, expiresAt: new Date('2030-01-01') },
  };
}

async function enqueue(email: EmailToSend<'password_reset'>): Promise<string> {
  return t.db.transaction().execute(async (trx) => (await enqueueEmail(trx, keyring, email, site)).id);
}

/** A transport that records what it sends, optionally slowly or failing. */
function fakeTransport(behaviour: { delayMs?: number; fail?: (n: number) => Error | undefined } = {}) {
  const sent: OutgoingEmail[] = [];
  let calls = 0;
  const transport: MailTransport = {
    kind: 'fake',
    async send(email) {
      calls++;
      if (behaviour.delayMs) await new Promise((r) => setTimeout(r, behaviour.delayMs));
      const error = behaviour.fail?.(calls);
      if (error) throw error;
      sent.push(email);
    },
    async close() {},
  };
  return { transport, sent, calls: () => calls };
}

async function rows() {
  return mailDb(t.db).selectFrom('email_outbox').selectAll().orderBy('created_at').execute();
}

/** Makes every waiting email due now, as if its retry delay had passed. */
async function timePasses() {
  await mailDb(t.db)
    .updateTable('email_outbox')
    .set({ send_after: sql<Date>`now()` })
    .where('status', '=', 'pending')
    .execute();
}

const options = { batchSize: 10, maxAttempts: 3, log: silent };

describe('enqueueEmail', () => {
  it('writes nothing when the caller’s transaction rolls back', async () => {
    class Rollback extends Error {}
    await expect(
      t.db.transaction().execute(async (trx) => {
        await enqueueEmail(trx, keyring, reset(1), site);
        expect(await mailDb(trx).selectFrom('email_outbox').select('id').execute()).toHaveLength(1);
        throw new Rollback();
      }),
    ).rejects.toBeInstanceOf(Rollback);
    expect(await rows()).toHaveLength(0);
  });

  it('stores the recipient and the body encrypted, bound to the row', async () => {
    const id = await enqueue(reset('store'));
    const [row] = await rows();
    expect(row?.id).toBe(id);
    expect(row?.status).toBe('pending');
    expect(row?.attempts).toBe(0);
    expect(row?.template).toBe('password_reset');
    expect(row?.subject).toBe('Reset your No Wrong Door password');
    expect(
      await decryptField(
        keyring,
        { table: 'email_outbox', recordId: id, field: 'recipient' },
        row!.recipient,
      ),
    ).toBe(address);
    const body = await decryptField(
      keyring,
      { table: 'email_outbox', recordId: id, field: 'body_text' },
      row!.body_text!,
    );
    expect(body).toContain('https://nwd.example.org/reset/synthetic-token-store');
  });

  it('leaves the recipient and the link unreadable in the table', async () => {
    await enqueue(reset('secret-link'));
    await deliverPending(t.db, keyring, fakeTransport({ fail: () => new Error('down') }).transport, options);
    await enqueue(reset('second', 'other.staff@example.org'));
    const dump = await sql<{ row: string }>`select e::text as row from email_outbox e`.execute(t.db);
    expect(dump.rows).toHaveLength(2);
    for (const { row } of dump.rows) {
      expect(row).not.toMatch(/staff@example\.org/i);
      expect(row).not.toContain(Buffer.from('staff@example.org').toString('hex'));
      expect(row).not.toContain('synthetic-token');
      expect(row).not.toContain(Buffer.from('synthetic-token').toString('hex'));
    }
  });

  it('refuses a recipient that is not one address, and personal data in the parameters', async () => {
    for (const to of [
      'not-an-address',
      'a@example.org, b@example.org',
      'a@example.org\r\nBcc: b@example.org',
    ]) {
      const error = await enqueue(reset(1, to)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EmailContentError);
      expect((error as Error).message).not.toContain(to);
    }
    const withPersonalData = { ...reset(1), params: { ...reset(1).params, chosenName: 'Zyxwv' } };
    await expect(enqueue(withPersonalData as never)).rejects.toThrow(/chosenName/);
    expect(await rows()).toHaveLength(0);
  });
});

describe('deliverPending', () => {
  it('sends due emails and marks them sent, erasing the body', async () => {
    const id = await enqueue(reset('a'));
    const fake = fakeTransport();
    const report = await deliverPending(t.db, keyring, fake.transport, options);
    expect(report).toEqual({ claimed: 1, sent: 1, retried: 0, failed: 0 });
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]?.to).toBe(address);
    expect(fake.sent[0]?.subject).toBe('Reset your No Wrong Door password');
    expect(fake.sent[0]?.text).toContain('https://nwd.example.org/reset/synthetic-token-a');
    const [row] = await rows();
    expect(row).toMatchObject({ id, status: 'sent', attempts: 1, body_text: null, locked_until: null });
    expect(row?.sent_at).toBeInstanceOf(Date);
    // Nothing left to send.
    expect(await deliverPending(t.db, keyring, fake.transport, options)).toEqual({
      claimed: 0,
      sent: 0,
      retried: 0,
      failed: 0,
    });
  });

  it('waits for sendAfter', async () => {
    await enqueue({ ...reset('later'), sendAfter: new Date(Date.now() + 3600_000) });
    const fake = fakeTransport();
    expect((await deliverPending(t.db, keyring, fake.transport, options)).claimed).toBe(0);
    await timePasses();
    expect((await deliverPending(t.db, keyring, fake.transport, options)).sent).toBe(1);
  });

  it('retries a failing send with exponential backoff, then marks it failed', async () => {
    await enqueue(reset('retry'));
    const logs = new PassThrough();
    const logged: Buffer[] = [];
    logs.on('data', (c: Buffer) => logged.push(c));
    const fake = fakeTransport({
      fail: () =>
        Object.assign(
          new Error(`Connection refused while sending to ${address}: <${address}> at smtp://mx.example.org`),
          {
            code: 'ECONNECTION',
          },
        ),
    });
    const run = { ...options, retryBaseMs: 60_000, log: createLogger('info', logs) };
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 2; attempt++) {
      const report = await deliverPending(t.db, keyring, fake.transport, run);
      expect(report).toEqual({ claimed: 1, sent: 0, retried: 1, failed: 0 });
      const waiting = await sql<{ seconds: number; attempts: number; status: string; last_error: string }>`
        select extract(epoch from send_after - now())::float8 as seconds, attempts, status, last_error
        from email_outbox`.execute(t.db);
      const row = waiting.rows[0]!;
      expect(row.status).toBe('pending');
      expect(row.attempts).toBe(attempt);
      delays.push(row.seconds);
      expect(row.last_error).toContain('ECONNECTION');
      expect(row.last_error).not.toContain('staff');
      expect(row.last_error).not.toContain('mx.example.org');
      // Not due yet: nothing is claimed before the delay passes.
      expect((await deliverPending(t.db, keyring, fake.transport, run)).claimed).toBe(0);
      await timePasses();
    }
    expect(delays[0]).toBeGreaterThan(55);
    expect(delays[0]).toBeLessThanOrEqual(60);
    expect(delays[1]).toBeGreaterThan(115);
    expect(delays[1]).toBeLessThanOrEqual(120);
    const last = await deliverPending(t.db, keyring, fake.transport, run);
    expect(last).toEqual({ claimed: 1, sent: 0, retried: 0, failed: 1 });
    const [row] = await rows();
    expect(row).toMatchObject({ status: 'failed', attempts: 3, body_text: null, sent_at: null });
    expect(fake.calls()).toBe(3);
    expect(await deliverPending(t.db, keyring, fake.transport, run)).toMatchObject({ claimed: 0 });
    const logText = Buffer.concat(logged).toString('utf8');
    expect(logText).toContain('will be retried');
    expect(logText).toContain('given up');
    expect(logText).not.toContain('staff@');
    expect(logText).not.toContain('synthetic-token');
  });

  it('gives up at once when the mail server refuses the email for good', async () => {
    await enqueue(reset('refused'));
    const fake = fakeTransport({
      fail: () => new PermanentDeliveryError('The mail server refused the recipient.'),
    });
    expect(await deliverPending(t.db, keyring, fake.transport, options)).toMatchObject({
      failed: 1,
      retried: 0,
    });
    expect((await rows())[0]).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('recovers emails whose sender stopped mid-send once their lease runs out', async () => {
    await enqueue(reset('lease'));
    // An instance claims the email and stops before recording the outcome.
    await sql`update email_outbox set status = 'sending', attempts = 1, locked_until = now() + interval '5 minutes'`.execute(
      t.db,
    );
    const fake = fakeTransport();
    expect((await deliverPending(t.db, keyring, fake.transport, options)).claimed).toBe(0);
    await sql`update email_outbox set locked_until = now() - interval '1 second'`.execute(t.db);
    expect(await deliverPending(t.db, keyring, fake.transport, options)).toMatchObject({
      claimed: 1,
      sent: 1,
    });
    expect((await rows())[0]).toMatchObject({ status: 'sent', attempts: 2 });
    // With no attempt left, an interrupted email is marked failed instead.
    await enqueue(reset('lease-last'));
    await sql`update email_outbox set status = 'sending', attempts = 3, locked_until = now() - interval '1 second'
              where status = 'pending'`.execute(t.db);
    expect(await deliverPending(t.db, keyring, fake.transport, options)).toMatchObject({
      claimed: 0,
      failed: 1,
    });
    const failed = (await rows()).find((r) => r.status === 'failed');
    expect(failed?.last_error).toMatch(/interrupted/);
  });

  it('skips emails another instance holds, without waiting for it', async () => {
    const held = await enqueue(reset('held'));
    const free = await enqueue(reset('free'));
    const fake = fakeTransport();
    let release!: () => void;
    const locked = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const isHolding = new Promise<void>((resolve) => (holding = resolve));
    const holder = t.db.transaction().execute(async (trx) => {
      await sql`select id from email_outbox where id = ${held} for update`.execute(trx);
      holding();
      await locked;
    });
    await isHolding;
    const report = await deliverPending(t.db, keyring, fake.transport, options);
    release();
    await holder;
    expect(report).toMatchObject({ claimed: 1, sent: 1 });
    expect(fake.sent.map((e) => e.text).join()).toContain('synthetic-token-free');
    const byId = new Map((await rows()).map((r) => [r.id, r.status]));
    expect(byId.get(free)).toBe('sent');
    expect(byId.get(held)).toBe('pending');
  });

  it('never sends the same email twice when deliverers run at once', async () => {
    const fake = fakeTransport({ delayMs: 2 });
    let total = 0;
    // Rounds where four deliverers start together and each tries to take every due email.
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 8; i++) await enqueue(reset(`r${round}n${i}`));
      total += 8;
      const reports = await Promise.all(
        [1, 2, 3, 4].map(() => deliverPending(t.db, keyring, fake.transport, { ...options, batchSize: 8 })),
      );
      expect(reports.reduce((sum, r) => sum + r.sent, 0)).toBe(8);
    }
    // Then two deliverers draining a longer queue in small batches.
    for (let i = 0; i < 40; i++) await enqueue(reset(`d${i}`));
    total += 40;
    const drain = async () => {
      for (;;) {
        const report = await deliverPending(t.db, keyring, fake.transport, { ...options, batchSize: 4 });
        if (report.claimed === 0) return;
      }
    };
    await Promise.all([drain(), drain()]);
    const links = fake.sent.map((e) => /synthetic-token-(\w+)/.exec(e.text)?.[1]);
    expect(links).toHaveLength(total);
    expect(new Set(links).size).toBe(total);
    const statuses = (await rows()).map((r) => `${r.status}:${r.attempts}`);
    expect(statuses).toHaveLength(total);
    expect(new Set(statuses)).toEqual(new Set(['sent:1']));
  });

  it('checks its options', async () => {
    const fake = fakeTransport();
    await expect(
      deliverPending(t.db, keyring, fake.transport, { batchSize: 0, maxAttempts: 3 }),
    ).rejects.toThrow(RangeError);
    await expect(
      deliverPending(t.db, keyring, fake.transport, { batchSize: 5, maxAttempts: 0 }),
    ).rejects.toThrow(RangeError);
  });
});

describe('retryDelayMs and describeFailure', () => {
  it('doubles the delay with each attempt, up to the maximum', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n))).toEqual([60_000, 120_000, 240_000, 480_000]);
    expect(retryDelayMs(30)).toBe(6 * 3600_000);
    expect(retryDelayMs(1000, { retryBaseMs: 1000, retryMaxMs: 5000 })).toBe(5000);
  });

  it('keeps the recipient, any address and any URL out of the description', () => {
    const error = Object.assign(
      new Error('550 5.1.1 <Staff@Example.org>: user staff unknown, see https://mx.example.org/x'),
      {
        responseCode: 550,
        code: 'EENVELOPE',
      },
    );
    const text = describeFailure(error, 'staff@example.org');
    expect(text).toMatch(/^EENVELOPE 550 /);
    expect(text).not.toMatch(/staff/i);
    expect(text).not.toContain('mx.example.org');
    expect(describeFailure(new PermanentDeliveryError('x', { cause: error }))).toBe('EENVELOPE 550 x');
    expect(describeFailure('other@example.net was refused')).toBe('[address] was refused');
  });
});
