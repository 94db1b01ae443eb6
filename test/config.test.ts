/**
 * Configuration: the master-key, mail and public-origin variables, and secrets that never print.
 */
import { join, resolve } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { generateMasterKey } from '../src/platform/crypto/index.ts';

describe('loadConfig', () => {
  it('defaults: key file under the data directory, localhost origin from the port, a localhost sender', () => {
    const config = loadConfig({ NWD_DATA_DIR: '/srv/nwd-data' });
    expect(config.masterKeyFile).toBe(join('/srv/nwd-data', 'master.key'));
    expect(config.publicUrl).toBeNull();
    expect(config.mailFrom).toBe('No Wrong Door <no-reply@localhost>');
    expect(config.secrets.get('NWD_MASTER_KEY')).toBeUndefined();
    expect(config.secrets.get('SMTP_URL')).toBeUndefined();
  });

  it('escalation thresholds: 4 business hours and 24 hours by default, configurable, checked', () => {
    expect(loadConfig({}).escalation).toEqual({ afterBusinessHours: 4, toStateAfterHours: 24 });
    expect(
      loadConfig({ NWD_ESCALATE_AFTER_BUSINESS_HOURS: '2', NWD_ESCALATE_TO_STATE_AFTER_HOURS: '12' })
        .escalation,
    ).toEqual({ afterBusinessHours: 2, toStateAfterHours: 12 });
    expect(() => loadConfig({ NWD_ESCALATE_AFTER_BUSINESS_HOURS: '0' })).toThrow(
      /NWD_ESCALATE_AFTER_BUSINESS_HOURS: a number of business hours above 0/,
    );
    expect(() => loadConfig({ NWD_ESCALATE_TO_STATE_AFTER_HOURS: 'soon' })).toThrow(
      /NWD_ESCALATE_TO_STATE_AFTER_HOURS/,
    );
  });

  it('housing availability is stale after 24 hours by default, configurable, checked', () => {
    expect(loadConfig({}).housingStaleHours).toBe(24);
    expect(loadConfig({ NWD_HOUSING_STALE_HOURS: '12' }).housingStaleHours).toBe(12);
    expect(() => loadConfig({ NWD_HOUSING_STALE_HOURS: '0' })).toThrow(
      /NWD_HOUSING_STALE_HOURS: a number of hours above 0/,
    );
  });

  it('a certified setting’s untrained staff are overdue after 30 days by default, configurable, checked', () => {
    expect(loadConfig({}).trainingDueDays).toBe(90);
    expect(loadConfig({ NWD_TRAINING_DUE_DAYS: '30' }).trainingDueDays).toBe(30);
    expect(() => loadConfig({ NWD_TRAINING_DUE_DAYS: '0' })).toThrow(
      /NWD_TRAINING_DUE_DAYS: a number of days above 0/,
    );
    expect(loadConfig({}).settingTrainingDays).toBe(30);
    expect(loadConfig({ NWD_SETTING_TRAINING_DAYS: '60' }).settingTrainingDays).toBe(60);
    expect(() => loadConfig({ NWD_SETTING_TRAINING_DAYS: '0' })).toThrow(
      /NWD_SETTING_TRAINING_DAYS: a number of days above 0/,
    );
  });

  it('reports hide counts under 10 by default; NWD_SMALL_NUMBER_THRESHOLD changes it, checked', () => {
    expect(loadConfig({}).smallNumberThreshold).toBe(10);
    expect(loadConfig({ NWD_SMALL_NUMBER_THRESHOLD: '11' }).smallNumberThreshold).toBe(11);
    expect(() => loadConfig({ NWD_SMALL_NUMBER_THRESHOLD: '1' })).toThrow(
      /NWD_SMALL_NUMBER_THRESHOLD: at least 2/,
    );
  });

  it('trusts no proxy by default; NWD_TRUSTED_PROXIES takes IPv4 and IPv6 networks, checked', () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(loadConfig({}).trustedProxyHeader).toBe('x-forwarded-for');
    const config = loadConfig({
      NWD_TRUSTED_PROXIES: '10.0.0.0/8, 192.168.4.17 ,fd00:1::/32',
      NWD_TRUSTED_PROXY_HEADER: 'Forwarded',
    });
    expect(config.trustedProxies).toEqual(['10.0.0.0/8', '192.168.4.17/32', 'fd00:1::/32']);
    expect(config.trustedProxyHeader).toBe('forwarded');
    expect(loadConfig({ NWD_TRUSTED_PROXIES: ' ' }).trustedProxies).toEqual([]);
    expect(() => loadConfig({ NWD_TRUSTED_PROXIES: '10.0.0.0/8,lb.internal' })).toThrow(
      /NWD_TRUSTED_PROXIES: "lb.internal" is not an IP address or network/,
    );
    expect(() => loadConfig({ NWD_TRUSTED_PROXIES: '10.0.0.0/40' })).toThrow(
      /NWD_TRUSTED_PROXIES: "10.0.0.0\/40" has no valid prefix length/,
    );
    expect(() => loadConfig({ NWD_TRUSTED_PROXY_HEADER: 'x-real-ip' })).toThrow(
      /NWD_TRUSTED_PROXY_HEADER: x-forwarded-for or forwarded/,
    );
  });

  it('resolves NWD_MASTER_KEY_FILE from the working directory', () => {
    expect(loadConfig({ NWD_MASTER_KEY_FILE: 'keys/nwd.key' }).masterKeyFile).toBe(resolve('keys/nwd.key'));
  });

  it('requires NWD_PUBLIC_URL in production, as an https origin', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /NWD_PUBLIC_URL: required when NODE_ENV=production/,
    );
    expect(() => loadConfig({ NODE_ENV: 'production', NWD_PUBLIC_URL: 'http://nwd.example.org' })).toThrow(
      /NWD_PUBLIC_URL: .*https/,
    );
    expect(loadConfig({ NODE_ENV: 'production', NWD_PUBLIC_URL: 'https://nwd.example.org/' }).publicUrl).toBe(
      'https://nwd.example.org',
    );
    expect(() => loadConfig({ NWD_PUBLIC_URL: 'https://nwd.example.org/staff' })).toThrow(/without a path/);
    expect(() => loadConfig({ NWD_PUBLIC_URL: 'not a url' })).toThrow(ConfigError);
    expect(loadConfig({ NWD_PUBLIC_URL: 'http://localhost:8080' }).publicUrl).toBe('http://localhost:8080');
  });

  it('refuses malformed keys, SMTP URLs and senders, naming the variable and never the value', () => {
    const bad = 'c2hvcnQga2V5IHNob3J0IGtleQ==';
    const attempt = (env: NodeJS.ProcessEnv) => {
      try {
        loadConfig(env);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    const key = attempt({ NWD_MASTER_KEY: bad });
    expect(key).toMatch(/NWD_MASTER_KEY: /);
    expect(key).not.toContain(bad);
    expect(attempt({ NWD_PREVIOUS_MASTER_KEYS: `${generateMasterKey().encode()},${bad}` })).toMatch(
      /NWD_PREVIOUS_MASTER_KEYS: entry 2/,
    );
    expect(attempt({ SMTP_URL: 'http://mail.example.org' })).toMatch(/SMTP_URL/);
    expect(attempt({ NWD_MAIL_FROM: 'nobody' })).toMatch(/NWD_MAIL_FROM/);
  });

  it('keeps keys and the SMTP URL out of every printed or serialised form of the configuration', () => {
    const key = generateMasterKey().encode();
    const smtp = 'smtps://synthetic:very-secret-password@smtp.example.org';
    const config = loadConfig({
      NWD_MASTER_KEY: key,
      NWD_NEW_MASTER_KEY: generateMasterKey().encode(),
      SMTP_URL: smtp,
    });
    expect(config.secrets.get('NWD_MASTER_KEY')).toBe(key);
    expect(config.secrets.get('SMTP_URL')).toBe(smtp);
    for (const text of [
      JSON.stringify(config),
      inspect(config, { depth: 10, showHidden: true }),
      String(config.secrets),
    ]) {
      expect(text).not.toContain(key);
      expect(text).not.toContain('very-secret-password');
    }
  });
});
