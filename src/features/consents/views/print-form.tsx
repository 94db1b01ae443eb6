/**
 * The printable consent form, in plain language for the young person: who may see what, for what and
 * until when, that saying no changes nothing, and how to take it back.
 */
import type { FC } from 'hono/jsx';
import type { AppDeps } from '../../../app-types.ts';
import { StaffLayout, type StaffFrame } from '../../../web/staff-layout.tsx';
import { CATEGORY_PLAIN, addDays } from '../rules.ts';
import type { ConsentView } from '../service.ts';

const PRINT_CSS =
  '@media print{.noprint,form{display:none}main{max-width:none;padding:0}body{font-size:12pt}a{color:inherit;text-decoration:none}.sign{break-inside:avoid}}' +
  '.sign p{margin:1.5rem 0 .25rem;border-bottom:1px solid #000;min-height:1.5rem}.sign .hint{border:0;margin:0 0 .75rem}';

const PRINT_JS =
  "var b=document.getElementById('print-now');if(b){b.hidden=false;b.addEventListener('click',function(){window.print()})}";

export const ConsentPrint: FC<{
  deps: AppDeps;
  frame: StaffFrame;
  caseId: string;
  data: { consent: ConsentView; chosenName: string };
}> = ({ deps, frame, caseId, data }) => {
  const k = data.consent;
  const last = deps.rules.calendar.formatDate(addDays(k.expiresOn, -1));
  return (
    <StaffLayout frame={frame} title="Agreement to share information">
      <style nonce={frame.nonce} dangerouslySetInnerHTML={{ __html: PRINT_CSS }} />
      <div class="noprint">
        <p>
          <a href={`/staff/cases/${caseId}/consents`}>Back to the consents</a>
        </p>
        <p>
          Use your browser’s Print command (Ctrl+P, or Cmd+P on a Mac). The printout names the young person:
          give it to them or keep it safe. Printing is recorded in the audit log.
        </p>
        <button type="button" id="print-now" hidden>
          Print this form
        </button>
        <script nonce={frame.nonce} dangerouslySetInnerHTML={{ __html: PRINT_JS }} />
      </div>
      {k.state !== 'active' && k.state !== 'not_started' ? (
        <div class="flag">
          <p>
            <strong>
              This agreement has {k.state === 'revoked' ? 'been taken back (revoked)' : 'ended'}. Nothing is
              shared under it any more.
            </strong>{' '}
            This copy is for the record.
          </p>
        </div>
      ) : null}
      <p>
        This form says what you, <strong>{data.chosenName}</strong>, have agreed that your navigator may share
        about you: with whom, what for, and until when.
      </p>
      <h2>You choose</h2>
      <ul>
        <li>
          <strong>Saying no will not change the help you get.</strong> Consent is never a condition of
          service.
        </li>
        <li>
          <strong>You can change your mind at any time.</strong> Tell your navigator, by phone, text or in
          person, that you want to take back this agreement. From then on {k.organization.name} will no longer
          see these details through No Wrong Door.
        </li>
        <li>
          This agreement ends by itself after {last}. To keep sharing after that, you would be asked again.
        </li>
      </ul>
      <h2>Who can see it</h2>
      <p>{k.organization.name}</p>
      <h2>What for</h2>
      <p>{k.purposeLabel}</p>
      <h2>What they can see</h2>
      <ul>
        {k.categories.map((cat) => (
          <li>{CATEGORY_PLAIN[cat]}</li>
        ))}
      </ul>
      <p>Nothing else. Everything else stays with your navigator.</p>
      <h2>For how long</h2>
      <p>
        From {deps.rules.calendar.formatDate(k.startsOn)} until the end of {last}.
      </p>
      <h2>How you agreed</h2>
      {k.method === 'written' ? (
        <p>By signing below.</p>
      ) : (
        <p>You said yes out loud. {k.witness ? `${k.witness} heard you agree.` : null}</p>
      )}
      <section class="sign" aria-label="Signatures">
        {k.method === 'written' ? (
          <>
            <p aria-hidden="true"></p>
            <p class="hint">Your signature and the date</p>
          </>
        ) : null}
        <p aria-hidden="true"></p>
        <p class="hint">Navigator’s signature and the date</p>
      </section>
      <p class="hint">
        Reference {k.id.slice(0, 8)}. Questions about your information: ask your navigator. Day One, free at
        any time: {deps.geography.get().statewideLine.call?.display ?? ''}.
      </p>
    </StaffLayout>
  );
};
