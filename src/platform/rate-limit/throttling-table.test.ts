import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_LOCK_AFTER_FAILURES,
  ADDRESS_FAILURE_LIMIT,
  PAIR_FAILURE_LIMIT,
  throttlingTableMarkdown,
} from './sign-in-throttle.ts';

describe('the throttling table', () => {
  it('states the limits in force', () => {
    const table = throttlingTableMarkdown();
    expect(table).toContain(`| ${PAIR_FAILURE_LIMIT} within 15 minutes |`);
    expect(table).toContain(`| ${ADDRESS_FAILURE_LIMIT} within 15 minutes |`);
    expect(table).toContain(
      `| ${ACCOUNT_LOCK_AFTER_FAILURES} | the account is locked until an administrator`,
    );
    expect(table).toContain(
      'waits 15 seconds after the last failure, doubling with each failure up to 15 minutes',
    );
    expect(table.split('\n')).toHaveLength(6);
  });

  it('is published, unchanged, under "Throttling" in docs/security.md', () => {
    const doc = readFileSync('docs/security.md', 'utf8');
    const start = doc.indexOf('\n## Throttling\n');
    expect(start).toBeGreaterThanOrEqual(0);
    const next = doc.indexOf('\n## ', start + 1);
    expect(doc.slice(start, next < 0 ? undefined : next)).toContain(throttlingTableMarkdown());
  });
});
