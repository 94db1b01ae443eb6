/**
 * The young person's printable copy `/staff/cases/:id/safety-plan/print` — "My safety plan" in large
 * plain words, tap-to-call numbers, no case number, region or agency words, made to fit on one or two
 * pages.
 */
import type { FC } from 'hono/jsx';
import type { Line } from '../../help/index.ts';
import { SITE_CSS } from '../../../web/assets.ts';
import { looksLikePhone, telOf } from '../rules.ts';
import type { SafetyPlanContent } from '../schema.ts';
import { Bullets } from '../../../web/page.tsx';

/** Large plain text; no page margins, so the browser prints no address or title around the plan. */
const PRINT_CSS = `
body{font-size:1.3rem;line-height:1.45}
main.plan{max-width:40rem;padding:1.5rem}
.plan h1{font-size:2rem;margin:0 0 .25rem}
.plan h2{font-size:1.35rem;margin:1rem 0 .3rem;border-bottom:2px solid var(--line)}
.plan ul{margin:.2rem 0;padding-left:1.4rem}
.plan li{margin:.15rem 0}
.plan .code{font-size:1.8rem;font-weight:700;letter-spacing:.05em}
.plan a{font-weight:700}
.plan section{break-inside:avoid}
.staff-only{background:var(--soft);padding:.5rem 1rem;margin:0 0 1rem}
@page{margin:0}
@media print{.staff-only{display:none}body{font-size:13pt}main.plan{padding:1.2cm 1.5cm;max-width:none}a{color:#000;text-decoration:none}}
`;

/** A line's name without its number, when the name holds it ("Emergency: 911" → "Emergency"): the number follows. */
const shortName = (name: string, number: string): string =>
  name.includes(number) ? name.replace(number, '').replace(/[\s:,-]+$/, '') || name : name;

const PhoneText: FC<{ text: string }> = ({ text }) =>
  looksLikePhone(text) ? <a href={telOf(text)}>{text}</a> : <>{text}</>;

export const PrintPage: FC<{
  nonce: string;
  back: string;
  made: string;
  p: SafetyPlanContent;
  chosen: Line[];
  emergency: Line;
}> = ({ nonce, back, made, p, chosen, emergency }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="referrer" content="no-referrer" />
      <meta name="robots" content="noindex" />
      <title>My safety plan</title>
      <link rel="icon" href="data:," />
      <style nonce={nonce} dangerouslySetInnerHTML={{ __html: SITE_CSS + PRINT_CSS }} />
    </head>
    <body>
      <main class="plan" id="main">
        <p class="staff-only">
          For staff: print this page with your browser (Ctrl+P or ⌘P), or show it on the young person’s own
          phone. Nothing on it names the young person, your agency or the case.{' '}
          <a href={back}>Back to the plan</a>
        </p>
        <h1>My safety plan</h1>
        <p>Made on {made}.</p>
        {emergency.call ? (
          <p>
            <strong>
              In danger right now? Call <a href={`tel:${emergency.call.dial}`}>{emergency.call.display}</a>.
            </strong>
          </p>
        ) : null}
        {p.warningSigns.length ? (
          <section>
            <h2>Signs that things are getting unsafe</h2>
            <Bullets items={p.warningSigns} />
          </section>
        ) : null}
        {p.inDanger ? (
          <section>
            <h2>What I will do if I am in danger</h2>
            {p.inDanger
              .split(/\r?\n/)
              .filter((l) => l.trim())
              .map((l) => (
                <p>{l}</p>
              ))}
          </section>
        ) : null}
        {p.safePeople.length ? (
          <section>
            <h2>People I can reach</h2>
            <ul>
              {p.safePeople.map((person) => (
                <li>
                  {person.name}: <PhoneText text={person.contact} />
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {p.safePlaces.length ? (
          <section>
            <h2>Places where I am safe</h2>
            <Bullets items={p.safePlaces} />
          </section>
        ) : null}
        {p.codeWord ? (
          <section>
            <h2>My code word</h2>
            <p class="code">{p.codeWord}</p>
            <p>When I say or text it, the people I trust know I need help.</p>
          </section>
        ) : null}
        {chosen.length || p.customLines.length ? (
          <section>
            <h2>People I can call or text</h2>
            <ul>
              {chosen.map((line) => (
                <li>
                  {line.call ? shortName(line.name, line.call.display) : line.name}
                  {line.call ? (
                    <>
                      {': call '}
                      <a href={`tel:${line.call.dial}`}>{line.call.display}</a>
                    </>
                  ) : null}
                  {line.text ? (
                    <>
                      {line.call ? ', or text ' : ': text '}
                      <a href={`sms:${line.text.dial}`}>{line.text.display}</a>
                    </>
                  ) : null}
                </li>
              ))}
              {p.customLines.map((l) => (
                <li>
                  {l.name}: <a href={telOf(l.phone)}>{l.phone}</a>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <p>You deserve to be safe. You can change this plan any time.</p>
      </main>
    </body>
  </html>
);
