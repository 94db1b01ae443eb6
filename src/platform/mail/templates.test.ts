import { describe, expect, it } from 'vitest';
import {
  EMAIL_TEMPLATES,
  EmailContentError,
  assertNoPersonalDataKeys,
  isPersonalDataKey,
  renderEmail,
  siteOrigin,
  subjectOf,
  type EmailTemplateParams,
  type SiteOrigin,
} from './templates.ts';

const site: SiteOrigin = { origin: 'https://nwd.example.org', development: false };
const dev: SiteOrigin = { origin: 'http://localhost:3000', development: true };
const expiresAt = new Date('2030-05-14T20:00:00Z');
const link = 'https://nwd.example.org/invitations/accept/synthetic-token-123';

const good: EmailTemplateParams = {
  invitation: { link, organizationName: 'Synthetic Navigator Host', expiresAt },
  password_reset: { link, expiresAt },
  notification: { link, headline: 'A referral is waiting for your answer' },
  event_registration: {
    link,
    headline: 'You are registered',
    eventTitle: 'Synthetic outreach training',
    startsAt: expiresAt,
    venue: 'Synthetic Hall, 1 Example Street, St Paul',
  },
};

/** Calls renderEmail with parameters the types would refuse, as a careless caller might. */
function renderLoosely(template: string, params: Record<string, unknown>, at: SiteOrigin = site) {
  return renderEmail(template as 'notification', params as never, at);
}

function refusal(fn: () => unknown): EmailContentError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(EmailContentError);
    return error as EmailContentError;
  }
  throw new Error('expected the email to be refused');
}

describe('email templates', () => {
  it('renders each template with its fixed subject, the link and plain text', () => {
    const subjects = {
      invitation: 'Your No Wrong Door invitation',
      password_reset: 'Reset your No Wrong Door password',
      notification: 'You have a new notification',
      event_registration: 'About your event registration',
    };
    for (const template of EMAIL_TEMPLATES) {
      const email = renderEmail(template, good[template] as never, site);
      expect(email.subject).toBe(subjects[template]);
      expect(subjectOf(template)).toBe(subjects[template]);
      expect(email.text).toContain(`\n${link}\n`);
      expect(email.text).not.toMatch(/<[a-z]/i); // plain text, no HTML
      expect(email.text).toMatch(/never hold details about the young people/);
    }
  });

  it('says when an invitation or reset link stops working, in Minnesota time', () => {
    const invitation = renderEmail('invitation', good.invitation, site);
    expect(invitation.text).toContain('join Synthetic Navigator Host on No Wrong Door');
    expect(invitation.text).toContain('Tuesday, May 14, 2030 at 3:00 PM (Minnesota time)');
    const reset = renderEmail('password_reset', good.password_reset, site);
    expect(reset.text).toContain('It stops working on Tuesday, May 14, 2030 at 3:00 PM (Minnesota time).');
  });

  it('refuses parameters named like personal data, without repeating their value', () => {
    for (const key of ['name', 'chosenName', 'date_of_birth', 'DateOfBirth', 'legal-name', 'email', 'zip']) {
      const error = refusal(() =>
        renderLoosely('notification', { ...good.notification, [key]: 'Zyxwv Qwerty' }),
      );
      expect(error.message).toContain(key);
      expect(error.message).not.toContain('Zyxwv');
    }
    // Nested too (the personal-data check runs before the schema).
    const nested = refusal(() =>
      renderLoosely('notification', { ...good.notification, extra: { dob: 'x' } }),
    );
    expect(nested.message).toContain('extra.dob');
    expect(isPersonalDataKey('organizationName')).toBe(false);
    expect(() => assertNoPersonalDataKeys({ link, headline: 'x', expiresAt })).not.toThrow();
  });

  it('uses no personal-data key in any template', () => {
    for (const template of EMAIL_TEMPLATES) {
      for (const key of Object.keys(good[template])) expect(isPersonalDataKey(key)).toBe(false);
    }
  });

  it('refuses keys and values outside the template schema', () => {
    expect(
      refusal(() => renderLoosely('notification', { ...good.notification, caseId: 'c-1' })).message,
    ).toMatch(/caseId/);
    refusal(() => renderLoosely('invitation', { ...good.invitation, expiresAt: '2030-05-14' }));
    refusal(() => renderLoosely('invitation', { ...good.invitation, expiresAt: new Date('nonsense') }));
    refusal(() => renderLoosely('invitation', { link, expiresAt }));
    refusal(() => renderLoosely('notification', { ...good.notification, headline: 42 }));
    refusal(() => renderLoosely('notification', { ...good.notification, headline: '' }));
    refusal(() => renderLoosely('unknown_template', good.notification));
  });

  it('refuses headlines that carry an address, a date, a phone number or several lines', () => {
    for (const headline of [
      'Message from staff@example.org',
      'Born 04/05/2009',
      'Court date 2030-05-14',
      'Call 651-555-0100',
      'First line\nSecond line',
      'x'.repeat(121),
    ]) {
      const error = refusal(() => renderLoosely('notification', { link, headline }));
      expect(error.message).toContain('headline');
      expect(error.message).not.toContain(headline.slice(0, 12));
    }
    expect(renderLoosely('notification', { link, headline: '3 referrals are waiting' }).text).toContain(
      '3 referrals are waiting',
    );
  });

  it('refuses links that do not point at the service itself', () => {
    for (const bad of [
      'https://evil.example.net/invitations/x',
      'http://nwd.example.org/invitations/x',
      'https://nwd.example.org.evil.example.net/x',
      'https://user:pass@nwd.example.org/x',
      'https://nwd.example.org:8443/x',
      'https://nwd.example.org/reset?email=staff%40example.org',
      'https://nwd.example.org/cases?chosen_name=Zyxwv',
      'javascript:alert(1)',
      '/invitations/relative',
      'not a link',
    ]) {
      const error = refusal(() => renderLoosely('password_reset', { link: bad, expiresAt }));
      expect(error.message).toMatch(/link/);
      expect(error.message).not.toContain('evil');
    }
  });

  it('accepts http://localhost links in development only', () => {
    const local = 'http://localhost:3000/reset/synthetic-token';
    expect(renderLoosely('password_reset', { link: local, expiresAt }, dev).text).toContain(local);
    refusal(() => renderLoosely('password_reset', { link: local, expiresAt }, site));
    // The origin itself must be https outside development, and loopback when it is http.
    refusal(() =>
      renderLoosely('password_reset', { link: local, expiresAt }, { ...dev, development: false }),
    );
    refusal(() => siteOrigin({ origin: 'http://nwd.example.org', development: true }));
    refusal(() => siteOrigin({ origin: 'not a url', development: true }));
    expect(siteOrigin({ origin: 'https://nwd.example.org/some/path', development: false })).toBe(
      'https://nwd.example.org',
    );
    expect(siteOrigin({ origin: 'http://127.0.0.1:3000', development: true })).toBe('http://127.0.0.1:3000');
  });
});
