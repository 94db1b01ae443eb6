/**
 * `/rules`: every rule of the pathway in plain words, with its legal basis and dates, from the same data
 * the engine evaluates (and `docs/rules.md` is generated from). The public page shows no rule codes,
 * sources or reviewers' notes: those are in docs/rules.md and the pack.
 */
import type { Feature } from '../../app-types.ts';
import { frameFor } from '../../app-types.ts';
import { renderPage } from '../../web/http.ts';
import { PUBLIC } from '../../platform/policy.ts';
import { router } from '../../web/route.ts';
import { Layout } from '../../web/public-layout.tsx';
import { summarise } from './describe.ts';

export const pathwayPages: Feature = (app, deps, policies) => {
  router(app, deps, policies).open('get', '/rules', PUBLIC, (c) => {
    const ruleset = deps.rules.pathway;
    // Another rule is named by its title, in quotes, as the public reads it.
    const titles = new Map<string, string>(ruleset.rules.map((r) => [r.code, summarise(r).title]));
    const name = (code: string) => `“${titles.get(code) ?? code}”`;
    const summaries = ruleset.rules.map((r) => summarise(r, name));
    return renderPage(
      c,
      <Layout
        frame={frameFor(c, deps)}
        title="What the law asks, and when"
        description="Every rule the No Wrong Door pathway uses, in plain words, with its legal basis and the dates it applies."
      >
        <p>
          When an adult is worried about a young person, <a href="/identify">the guided questions</a> use
          these rules to say what is happening in Minnesota's terms, what the law asks of whom, and by when.
          An unknown age is treated as under 18 for every duty.
        </p>
        <p class="hint">
          {ruleset.verified
            ? 'A legal reviewer has checked these rules.'
            : 'A legal reviewer has not yet checked these rules.'}{' '}
          They help you find your next step; they are not legal advice.
        </p>
        <nav aria-label="Rules on this page">
          <ul>
            {summaries.map((s, i) => (
              <li>
                <a href={`#rule-${i + 1}`}>{s.title}</a>
                {s.effective === 'always' ? null : <span class="hint"> ({s.effective})</span>}
              </li>
            ))}
          </ul>
        </nav>
        {summaries.map((s, i) => (
          <section class="card" id={`rule-${i + 1}`} aria-labelledby={`rule-${i + 1}-title`}>
            <h2 id={`rule-${i + 1}-title`}>{s.title}</h2>
            <p>{s.explanation}</p>
            <dl>
              <dt>Applies when</dt>
              <dd>{s.when}</dd>
              <dt>Required</dt>
              <dd>{s.required}</dd>
              <dt>Whose step it is</dt>
              <dd>{s.binds}</dd>
              <dt>Deadline</dt>
              <dd>{s.deadline}</dd>
              <dt>In effect</dt>
              <dd>{s.effective}</dd>
              <dt>Basis</dt>
              <dd>
                <ul>
                  {s.basis.map((b) => (
                    <li>{b.citation}</li>
                  ))}
                </ul>
              </dd>
              {s.variants.map((v) => (
                <>
                  <dt>When {v.when}</dt>
                  <dd>
                    <strong>{v.title}</strong>
                    {v.required ? ` (required: ${v.required})` : ''}. {v.explanation}
                  </dd>
                </>
              ))}
            </dl>
          </section>
        ))}
        <h2>Risk factors</h2>
        <p>
          Things that make a young person more vulnerable to being exploited. They never prove it by
          themselves.
        </p>
        <ul>
          {ruleset.riskFactors.map((f) => (
            <li>
              <strong>{f.label}.</strong> {f.help}
            </li>
          ))}
        </ul>
      </Layout>,
    );
  });
};
