/**
 * The staff home page's counts, by what the signed-in person's role lets them open: each count comes
 * from the feature that owns its list (through its index.ts) and is scoped exactly like that list, so
 * following the link shows the same items. No personal data is read for a count.
 */
import type { AppDeps } from '../../app-types.ts';
import { can, regionScope, type Actor } from '../../platform/access.ts';
import type { Count } from '../../web/ui.tsx';
import { caseContext } from '../cases/index.ts';
import { countExpiringConsents } from '../consents/index.ts';
import { countQueue } from '../queue/index.ts';
import { countReferrals } from '../referrals/index.ts';
import { countHealthProblems, stewardshipContext } from '../stewardship/index.ts';
import { countOutOfDate, countWithBeds, housingContext } from '../housing/index.ts';
import { countTasks } from '../tasks/index.ts';
import { countTransfersToDecide } from '../transfers/index.ts';
import { accountsContext } from '../../web/session.ts';
import { countAwaitingSetup } from './service.ts';

export interface CountGroup {
  id: string;
  heading: string;
  counts: Count[];
}

/** A count only when the role may open its list. */
const when = async (allowed: boolean, count: () => Promise<Count>): Promise<Count | null> =>
  allowed ? count() : null;

const present = (counts: (Count | null)[]): Count[] => counts.filter((c): c is Count => c !== null);

/**
 * The groups of counts on the home page of `actor`: their work (queue, tasks, referrals, transfers)
 * and, for administrators, what needs looking after (people awaiting set-up, data health).
 */
export async function homeCounts(deps: AppDeps, actor: Actor, now = new Date()): Promise<CountGroup[]> {
  const cases = { ...caseContext(deps), now: () => now };
  const answers = can(actor, 'referrals.respond', { organizationId: actor.organizationId });
  const writesCases = regionScope(actor, 'cases.write') !== null;
  const work = await Promise.all([
    when(regionScope(actor, 'intake.read') !== null, async () => ({
      href: '/staff/queue?view=new',
      label: 'New in the referral queue, not yet claimed',
      count: await countQueue(deps, actor, 'new'),
      warn: true,
    })),
    when(writesCases, async () => ({
      href: '/staff/tasks?view=mine#overdue-h',
      label: 'My overdue tasks',
      count: await countTasks(cases, actor, { scope: 'mine', due: 'overdue' }),
      warn: true,
    })),
    when(writesCases, async () => ({
      href: '/staff/tasks?view=mine#today-h',
      label: 'My tasks due today',
      count: await countTasks(cases, actor, { scope: 'mine', due: 'today' }),
    })),
    when(answers, async () => ({
      href: '/staff/referrals?box=received&view=waiting',
      label:
        actor.role === 'provider_staff'
          ? 'New in your inbox, waiting for your answer'
          : 'Referrals received, waiting for your answer',
      count: await countReferrals(deps, actor, { box: 'received', view: 'waiting' }),
      warn: true,
    })),
    when(answers && actor.role === 'provider_staff', async () => ({
      href: '/staff/referrals?box=received&view=open',
      label: 'Active clients (referrals under way)',
      count: await countReferrals(deps, actor, { box: 'received', view: 'open' }),
    })),
    when(answers && regionScope(actor, 'cases.read') !== null && writesCases, async () => ({
      href: '/staff/referrals?box=sent&view=waiting',
      label: 'Referrals you sent, not yet answered',
      count: await countReferrals(deps, actor, { box: 'sent', view: 'waiting' }),
    })),
    when(regionScope(actor, 'cases.read') !== null, async () => ({
      href: '/staff/consents/expiring',
      label: 'Consents ending in the next 30 days',
      count: await countExpiringConsents(cases, actor),
    })),
    when(regionScope(actor, 'transfers.decide') !== null, async () => ({
      href: '/staff/transfers',
      label: 'Transfers waiting for your decision',
      count: await countTransfersToDecide(deps, actor),
      warn: true,
    })),
    when(regionScope(actor, 'housing.read') !== null, async () => ({
      href: '/staff/housing/beds?when=tonight',
      label: 'Housing programs with a bed free now',
      count: await countWithBeds({ ...housingContext(deps), now: () => now }, actor),
    })),
    // Only for an organization that has housing programs.
    countOutOfDate({ ...housingContext(deps), now: () => now }, actor).then((count) =>
      count === null
        ? null
        : {
            href: '/staff/housing/programs',
            label: 'Your housing programs with beds out of date',
            count,
            warn: true,
          },
    ),
  ]);
  const admin = await Promise.all([
    when(can(actor, 'people.list', { organizationId: actor.organizationId }), async () => ({
      href: '/staff/admin/people',
      label: 'People invited, not yet set up',
      count: await countAwaitingSetup(accountsContext(deps), actor),
    })),
    when(can(actor, 'data.health'), async () => ({
      href: '/staff/data-health',
      label: 'Public data problems to check',
      count: await countHealthProblems(stewardshipContext(deps), actor, now),
    })),
  ]);
  return [
    { id: 'work-h', heading: 'Your work', counts: present(work) },
    { id: 'admin-h', heading: 'To look after', counts: present(admin) },
  ];
}
