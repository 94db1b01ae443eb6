/**
 * Sessions: opening and replacing them (a new id whenever the assurance changes), reading the one
 * behind a cookie (30 minutes idle, 12 hours absolute), listing and ending them, signing out.
 */
import type { Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { Actor } from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { hashSecret, looksLikeSecret, newSecret } from '../../platform/crypto/secrets.ts';
import type { SessionStage } from './tables.ts';
import {
  ABSOLUTE_TIMEOUT_MS,
  type AccountsContext,
  IDLE_TIMEOUT_MS,
  REAUTHENTICATION_WINDOW_MS,
  type RequestOrigin,
  TOUCH_EVERY_MS,
  field,
  nowOf,
  requireAccess,
} from './context.ts';
import { decryptField } from '../../platform/crypto/index.ts';

export interface SignedInSession {
  /** The session secret for the cookie: shown once, stored hashed. */
  token: string;
  stage: SessionStage;
}

export async function openSession(
  trx: Transaction<DB>,
  userId: string,
  stage: SessionStage,
  origin: RequestOrigin,
  now: Date,
  reauthenticated: boolean,
): Promise<SignedInSession> {
  const token = newSecret('nwds');
  await trx
    .insertInto('staff_sessions')
    .values({
      id_hash: hashSecret(token),
      user_id: userId,
      stage,
      csrf_token: newSecret('nwdt'),
      created_at: now,
      last_seen_at: now,
      reauthenticated_at: reauthenticated ? now : null,
      ip: origin.ip,
      user_agent: origin.userAgent,
    })
    .execute();
  return { token, stage };
}

export interface CurrentSession {
  idHash: string;
  userId: string;
  stage: SessionStage;
  csrfToken: string;
  createdAt: Date;
  reauthenticatedAt: Date | null;
  actor: Actor;
  /** Who is signed in, for the page header: their name (their email when they gave none) and organization. */
  /** The person's name is decrypted only when a page shows it (once per request), not for every request. */
  who: { name: () => Promise<string>; organizationName: string };
}

/**
 * What a sign-in credential (a session, an API token) reads of its owner, joined as `u` with the
 * owner's organization as `o`: what the actor may do, and whether the person or organization is disabled.
 */
export const OWNER_COLUMNS = [
  'u.role',
  'u.regions',
  'u.organization_id',
  'u.disabled_at',
  'o.disabled_at as org_disabled_at',
] as const;

/**
 * The session behind a cookie, or null when it is unknown, ended, idle for 30 minutes, older than 12
 * hours, or its person is disabled. Touches `last_seen_at` at most once a minute.
 */
export async function sessionFromToken(
  ctx: AccountsContext,
  token: string | undefined | null,
): Promise<CurrentSession | null> {
  if (!looksLikeSecret(token, 'nwds')) return null;
  const now = nowOf(ctx);
  const row = await ctx.db
    .selectFrom('staff_sessions as s')
    .innerJoin('staff_users as u', 'u.id', 's.user_id')
    .innerJoin('member_organizations as o', 'o.id', 'u.organization_id')
    .select([
      ...OWNER_COLUMNS,
      's.id_hash',
      's.user_id',
      's.stage',
      's.csrf_token',
      's.created_at',
      's.last_seen_at',
      's.reauthenticated_at',
      's.ended_at',
      'o.name as organization_name',
      'u.display_name_encrypted',
      'u.email_encrypted',
    ])
    .where('s.id_hash', '=', hashSecret(token))
    .executeTakeFirst();
  if (!row || row.ended_at || row.disabled_at || row.org_disabled_at) return null;
  if (
    now.getTime() - row.last_seen_at.getTime() > IDLE_TIMEOUT_MS ||
    now.getTime() - row.created_at.getTime() > ABSOLUTE_TIMEOUT_MS
  ) {
    await ctx.db
      .updateTable('staff_sessions')
      .set({ ended_at: now })
      .where('id_hash', '=', row.id_hash)
      .where('ended_at', 'is', null)
      .execute();
    return null;
  }
  if (now.getTime() - row.last_seen_at.getTime() > TOUCH_EVERY_MS) {
    await ctx.db
      .updateTable('staff_sessions')
      .set({ last_seen_at: now })
      .where('id_hash', '=', row.id_hash)
      .execute();
  }
  let name: Promise<string> | undefined;
  return {
    idHash: row.id_hash,
    userId: row.user_id,
    stage: row.stage,
    csrfToken: row.csrf_token,
    createdAt: row.created_at,
    reauthenticatedAt: row.reauthenticated_at,
    actor: { userId: row.user_id, role: row.role, organizationId: row.organization_id, regions: row.regions },
    who: {
      name: () =>
        (name ??= decryptField(
          ctx.keyring,
          field(row.user_id, row.display_name_encrypted ? 'display_name' : 'email'),
          row.display_name_encrypted ?? row.email_encrypted,
        )),
      organizationName: row.organization_name,
    },
  };
}

/** Whether the person signed in again recently enough for a sensitive action. */
export function recentlyReauthenticated(
  ctx: AccountsContext,
  session: Pick<CurrentSession, 'reauthenticatedAt'>,
): boolean {
  return (
    session.reauthenticatedAt !== null &&
    nowOf(ctx).getTime() - session.reauthenticatedAt.getTime() <= REAUTHENTICATION_WINDOW_MS
  );
}

export async function replaceSession(
  trx: Transaction<DB>,
  session: CurrentSession,
  stage: SessionStage,
  origin: RequestOrigin,
  now: Date,
): Promise<SignedInSession> {
  await trx
    .updateTable('staff_sessions')
    .set({ ended_at: now })
    .where('id_hash', '=', session.idHash)
    .execute();
  return openSession(trx, session.userId, stage, origin, now, true);
}

export interface SessionSummary {
  idHash: string;
  createdAt: Date;
  lastSeenAt: Date;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

export async function listSessions(ctx: AccountsContext, session: CurrentSession): Promise<SessionSummary[]> {
  requireAccess(session.actor, 'sessions.manage', { userId: session.userId });
  const rows = await ctx.db
    .selectFrom('staff_sessions')
    .select(['id_hash', 'created_at', 'last_seen_at', 'ip', 'user_agent'])
    .where('user_id', '=', session.userId)
    .where('ended_at', 'is', null)
    .orderBy('last_seen_at', 'desc')
    .execute();
  const now = nowOf(ctx).getTime();
  return rows
    .filter(
      (r) =>
        now - r.last_seen_at.getTime() <= IDLE_TIMEOUT_MS &&
        now - r.created_at.getTime() <= ABSOLUTE_TIMEOUT_MS,
    )
    .map((r) => ({
      idHash: r.id_hash,
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
      ip: r.ip,
      userAgent: r.user_agent,
      current: r.id_hash === session.idHash,
    }));
}

/** Ends one of the person's sessions, or all of them (`'all'`), or all but the current (`'others'`). */
export async function endSessions(
  ctx: AccountsContext,
  session: CurrentSession,
  which: string | 'all' | 'others',
  origin: RequestOrigin,
): Promise<number> {
  requireAccess(session.actor, 'sessions.manage', { userId: session.userId });
  const now = nowOf(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    let q = trx
      .updateTable('staff_sessions')
      .set({ ended_at: now })
      .where('user_id', '=', session.userId)
      .where('ended_at', 'is', null);
    if (which === 'others') q = q.where('id_hash', '!=', session.idHash);
    else if (which !== 'all') q = q.where('id_hash', '=', which);
    const result = await q.executeTakeFirst();
    const ended = Number(result.numUpdatedRows);
    await recordAudit(trx, {
      actorKind: 'user',
      actorUserId: session.userId,
      action: 'session.end',
      subjectType: 'staff_user',
      subjectId: session.userId,
      organizationId: session.actor.organizationId,
      ip: origin.ip,
      userAgent: origin.userAgent,
      details: { which: which === 'all' || which === 'others' ? which : 'one', ended },
    });
    return ended;
  });
}

export async function signOut(
  ctx: AccountsContext,
  session: CurrentSession,
  origin: RequestOrigin,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('staff_sessions')
      .set({ ended_at: nowOf(ctx) })
      .where('id_hash', '=', session.idHash)
      .execute();
    await recordAudit(trx, {
      actorKind: 'user',
      actorUserId: session.userId,
      action: 'sign_out',
      subjectType: 'staff_user',
      subjectId: session.userId,
      organizationId: session.actor.organizationId,
      ip: origin.ip,
      userAgent: origin.userAgent,
    });
  });
}
