/**
 * The compact availability form, made for a phone: a program without types of bed shows one big button
 * per count (0 up to its beds in all, up to 12 beds), so an update is two taps — open the program, tap
 * the number free now; a larger program types the number and saves. The beds in all sit in a fold below.
 * A program with types of bed gives the number free of each type.
 */
import type { FC } from 'hono/jsx';
import { CsrfField } from '../../../web/staff-layout.tsx';
import { SrOnly, Tag } from '../../../web/ui.tsx';
import type { ProgramView } from '../service.ts';

/** Up to this many beds, each count is a button of its own. */
export const TAP_LIMIT = 12;

const BIG = 'usa-button usa-button--big';

export const Freshness: FC<{ program: ProgramView }> = ({ program }) => (
  <span>
    {program.stale ? <Tag tone="warning">Out of date</Tag> : null} {program.freshness}
  </span>
);

export const AvailabilityForm: FC<{ program: ProgramView; csrf: string; back: string }> = ({
  program: p,
  csrf,
  back,
}) => {
  const heading = `beds-${p.id}`;
  const byTap = p.bedTypes.length === 0 && p.bedsTotal <= TAP_LIMIT;
  return (
    <form
      method="post"
      action={`/staff/housing/programs/${p.id}/availability`}
      class="usa-form"
      aria-labelledby={heading}
    >
      <CsrfField token={csrf} />
      <input type="hidden" name="back" value={back} />
      <h3 id={heading} class="margin-bottom-1">
        Beds available now<SrOnly> at {p.name}</SrOnly>
      </h3>
      <p class="margin-top-0">
        Now: {p.bedsAvailable === null ? 'not given yet' : `${p.bedsAvailable} of ${p.bedsTotal}`} ·{' '}
        <Freshness program={p} />
      </p>
      {p.held ? (
        <p class="margin-top-0">
          Also {p.held === 1 ? '1 bed is' : `${p.held} beds are`} held for a shelter request: not free, so
          leave {p.held === 1 ? 'it' : 'them'} out of the count.
        </p>
      ) : null}
      {p.bedTypes.length ? (
        <fieldset class="usa-fieldset">
          <legend class="usa-legend">Beds available of each type</legend>
          {p.bedTypes.map((t, i) => (
            <div class="usa-form-group">
              <input type="hidden" name={`typeName${i}`} value={t.name} />
              <input type="hidden" name={`typeTotal${i}`} value={String(t.total)} />
              <label class="usa-label" for={`typeAvailable${i}-${p.id}`}>
                {t.name} (of {t.total})
              </label>
              <input
                class="usa-input usa-input--small"
                id={`typeAvailable${i}-${p.id}`}
                name={`typeAvailable${i}`}
                type="number"
                inputmode="numeric"
                min="0"
                max={String(t.total)}
                value={String(t.available)}
              />
            </div>
          ))}
          <button type="submit" class={BIG}>
            Save the beds available
          </button>
        </fieldset>
      ) : byTap ? (
        <fieldset class="usa-fieldset">
          <legend class="usa-legend">Tap how many beds are free now</legend>
          <div class="nwd-taps">
            {Array.from({ length: p.bedsTotal + 1 }, (_, n) => (
              <button
                type="submit"
                class={n === p.bedsAvailable ? BIG : `${BIG} usa-button--outline`}
                name="available"
                value={String(n)}
                aria-label={`${n} of ${p.bedsTotal} beds free now`}
              >
                {String(n)}
              </button>
            ))}
          </div>
        </fieldset>
      ) : (
        <div class="usa-form-group">
          <label class="usa-label" for={`available-${p.id}`}>
            Beds free now (of {p.bedsTotal})
          </label>
          <input
            class="usa-input usa-input--small"
            id={`available-${p.id}`}
            name="available"
            type="number"
            inputmode="numeric"
            min="0"
            max={String(p.bedsTotal)}
            value={p.bedsAvailable === null ? '' : String(p.bedsAvailable)}
          />
          <button type="submit" class={BIG}>
            Save
          </button>
        </div>
      )}
      {p.bedTypes.length ? null : (
        <details>
          <summary>The number of beds in all changed?</summary>
          <div class="usa-form-group">
            <label class="usa-label" for={`total-${p.id}`}>
              Beds in all
            </label>
            <input
              class="usa-input usa-input--small"
              id={`total-${p.id}`}
              name="total"
              type="number"
              inputmode="numeric"
              min="0"
              value={String(p.bedsTotal)}
            />
          </div>
        </details>
      )}
    </form>
  );
};
