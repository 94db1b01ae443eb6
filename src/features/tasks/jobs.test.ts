/**
 * The task reminder settings from the environment: defaults, configured values, and refusals that
 * name the variable.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { DEFAULT_TASK_REMINDERS } from './jobs.ts';

describe('task reminder settings', () => {
  it('default to 24 hours before and 4 business hours after, configurable, checked', () => {
    expect(loadConfig({}).tasks).toEqual(DEFAULT_TASK_REMINDERS);
    expect(
      loadConfig({ NWD_TASK_REMIND_BEFORE_HOURS: '0', NWD_TASK_ESCALATE_AFTER_BUSINESS_HOURS: '8' }).tasks,
    ).toEqual({ remindBeforeHours: 0, escalateAfterBusinessHours: 8 });
    expect(() => loadConfig({ NWD_TASK_REMIND_BEFORE_HOURS: '-1' })).toThrow(/NWD_TASK_REMIND_BEFORE_HOURS/);
    expect(() => loadConfig({ NWD_TASK_ESCALATE_AFTER_BUSINESS_HOURS: '0' })).toThrow(
      /NWD_TASK_ESCALATE_AFTER_BUSINESS_HOURS/,
    );
  });
});
