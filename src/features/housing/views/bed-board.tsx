/**
 * `/staff/housing/beds`: the bed board for navigators. A short filter (age, gender, county or region,
 * needs, how soon) and the programs that fit, beds available now first, each with how fresh its count
 * is and an out-of-date mark. Never an address: the program's organization shares it when it takes the
 * young person.
 */
import type { FC } from 'hono/jsx';
import { ErrorSummary, type FieldProblem } from '../../../web/forms.tsx';
import type { StaffView } from '../../../web/page.tsx';
import { Alert, Tag } from '../../../web/ui.tsx';
import { GENDERS, NEEDS, PROGRAM_TYPES, WHEN } from '../rules.ts';
import type { ProgramView } from '../service.ts';
import { StaffLayout } from '../../../web/staff-layout.tsx';

export interface BoardValues {
  age: string;
  gender: string;
  county: string;
  region: string;
  needs: string[];
  when: string;
}

const Beds: FC<{ p: ProgramView }> = ({ p }) =>
  p.bedsAvailable === null ? (
    <Tag tone="base">Not given</Tag>
  ) : p.bedsAvailable > 0 ? (
    <Tag tone="success">
      {String(p.bedsAvailable)} of {String(p.bedsTotal)} free
    </Tag>
  ) : (
    <Tag tone="error">Full ({String(p.bedsTotal)} beds)</Tag>
  );

export const BedBoardPage: FC<
  StaffView & {
    values: BoardValues;
    errors: FieldProblem[];
    programs: ProgramView[] | null;
    regions: { id: string; name: string }[];
    counties: { fips: string; name: string }[];
    regionName: (id: string) => string;
    staleHours: number;
  }
> = (p) => {
  const v = p.values;
  const select = (
    id: string,
    label: string,
    empty: string,
    options: { value: string; label: string }[],
    value: string,
  ) => (
    <div class="usa-form-group">
      <label class="usa-label" for={id}>
        {label}
      </label>
      <select class="usa-select" id={id} name={id}>
        <option value="">{empty}</option>
        {options.map((o) => (
          <option value={o.value} selected={o.value === value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <StaffLayout frame={p.frame} title="Bed board">
      <ErrorSummary errors={p.errors} />
      <form method="get" action="/staff/housing/beds" class="usa-form" aria-label="Which programs">
        <div class="nwd-filters">
          <div class="usa-form-group">
            <label class="usa-label" for="age">
              Age
            </label>
            <input
              class="usa-input usa-input--small"
              id="age"
              name="age"
              inputmode="numeric"
              maxlength={2}
              value={v.age}
            />
          </div>
          {select(
            'gender',
            'Gender',
            'Any',
            Object.entries(GENDERS).map(([value, label]) => ({ value, label })),
            v.gender,
          )}
          {select(
            'county',
            'County',
            'Any county',
            p.counties.map((c) => ({ value: c.fips, label: c.name })),
            v.county,
          )}
          {select(
            'region',
            'Region',
            'Any region',
            p.regions.map((r) => ({ value: r.id, label: r.name })),
            v.region,
          )}
          {select(
            'when',
            'How soon',
            'Any time',
            [{ value: 'tonight', label: `${WHEN.tonight}: a bed free now` }],
            v.when === 'tonight' ? 'tonight' : '',
          )}
        </div>
        <fieldset class="usa-fieldset" id="needs">
          <legend class="usa-legend">Needs</legend>
          {Object.entries(NEEDS).map(([code, label]) => (
            <div class="usa-checkbox">
              <input
                class="usa-checkbox__input"
                type="checkbox"
                id={`needs-${code}`}
                name="needs"
                value={code}
                checked={v.needs.includes(code)}
              />
              <label class="usa-checkbox__label" for={`needs-${code}`}>
                {label}
              </label>
            </div>
          ))}
        </fieldset>
        <button type="submit" class="usa-button usa-button--big">
          Find beds
        </button>
      </form>
      <p class="nwd-muted">
        Beds free now first. A count not updated in {String(p.staleHours)} hours is marked out of date: call
        to check. Addresses are never shown here.
      </p>
      {p.programs === null ? null : p.programs.length === 0 ? (
        <Alert type="info">
          <p class="margin-0">No program fits. Try fewer needs, a wider area, or call the statewide line.</p>
        </Alert>
      ) : (
        <ul class="usa-card-group" id="programs" aria-label="Programs that fit">
          {p.programs.map((program) => (
            <li class="usa-card tablet:grid-col-6" id={`program-${program.id}`}>
              <div class="usa-card__container">
                <div class="usa-card__header">
                  <h2 class="usa-card__heading">{program.name}</h2>
                </div>
                <div class="usa-card__body">
                  <p>
                    <Beds p={program} /> {program.stale ? <Tag tone="warning">Out of date</Tag> : null}{' '}
                    {program.freshness}
                  </p>
                  <p>
                    {PROGRAM_TYPES[program.type]} · {program.organizationName}
                    <br />
                    Ages {program.minAge}–{program.maxAge} ·{' '}
                    {program.genders.map((g) => GENDERS[g]).join(', ')}
                    {program.serves.length ? (
                      <>
                        <br />
                        {program.serves.map((s) => NEEDS[s]).join(', ')}
                        {program.culturallySpecificFor ? ` (${program.culturallySpecificFor})` : ''}
                      </>
                    ) : null}
                    {program.languages.length ? (
                      <>
                        <br />
                        Languages: {program.languages.join(', ')}
                      </>
                    ) : null}
                    <br />
                    Serves:{' '}
                    {[
                      ...program.regionIds.map(p.regionName),
                      ...(program.countyFips.length
                        ? [
                            `${program.countyFips.length} other ${program.countyFips.length === 1 ? 'county' : 'counties'}`,
                          ]
                        : []),
                    ].join(', ')}
                  </p>
                  {program.bedTypes.length ? (
                    <p>
                      {program.bedTypes
                        .map((t) => `${t.name}: ${t.available} of ${t.total} free`)
                        .join(' · ')}
                    </p>
                  ) : null}
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}
    </StaffLayout>
  );
};
