/**
 * Pieces every report page shows the same way: a count under the small-number rule ("fewer than 10"
 * when hidden) and a report's day in short words ("Mon, Dec 7, 2026").
 */
import type { FC } from 'hono/jsx';
import type { Published } from '../platform/small-numbers.ts';

/** A published count: the number, or "fewer than N" when the small-number rule hides it. */
export const Count: FC<{ p: Published; threshold: number }> = ({ p, threshold }) =>
  p.suppressed ? <span class="nwd-muted">fewer than {String(threshold)}</span> : <>{String(p.value ?? 0)}</>;

/** A date (YYYY-MM-DD) in short words, the same in every time zone. */
export const reportDay = (date: string): string =>
  new Date(`${date}T12:00:00Z`).toLocaleDateString('en-US', {
    timeZone: 'UTC',
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    year: 'numeric',
  });
