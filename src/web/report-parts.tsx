/**
 * Pieces every report page shows the same way: a count under the small-number rule ("hidden"
 * when hidden) and a report's day in short words ("Mon, Dec 7, 2026").
 */
import type { FC } from 'hono/jsx';
import type { Published } from '../platform/small-numbers.ts';

/**
 * A published count: the number, or "hidden" when the small-number rule hides it — the same word for a
 * count under the threshold and for one hidden so that another cannot be worked out (which may be
 * larger), so that the page tells neither apart.
 */
export const Count: FC<{ p: Published; threshold: number }> = ({ p, threshold }) =>
  p.suppressed ? (
    <span class="nwd-muted" title={`Hidden to protect privacy (small-number rule, threshold ${threshold})`}>
      hidden
    </span>
  ) : (
    <>{String(p.value ?? 0)}</>
  );

/** A date (YYYY-MM-DD) in short words, the same in every time zone. */
export const reportDay = (date: string): string =>
  new Date(`${date}T12:00:00Z`).toLocaleDateString('en-US', {
    timeZone: 'UTC',
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    year: 'numeric',
  });
