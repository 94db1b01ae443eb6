/**
 * Staff accounts: organizations, people, signing in with a password and a second factor, sessions,
 * single-use links and API tokens. Each use case checks access first, then works, and records its
 * audit event in the same transaction.
 *
 * Sessions follow NIST SP 800-63B: a new session id whenever the assurance changes (password accepted,
 * second factor accepted), 30 minutes idle and 12 hours absolute, and a recent re-authentication for
 * sensitive actions.
 *
 * This file is the way in for other code; the use cases live by subject: people.ts (organizations
 * and people), links.ts (invitations, set-up and password reset: the single-use links), sign-in.ts
 * (the sign-in steps, two-factor enrolment and re-authentication), sessions.ts and tokens.ts.
 */
export {
  IDLE_TIMEOUT_MS,
  ABSOLUTE_TIMEOUT_MS,
  REAUTHENTICATION_WINDOW_MS,
  INVITATION_TTL_MS,
  PASSWORD_RESET_TTL_MS,
  SETUP_TTL_MS,
  type AccountsContext,
  type RequestOrigin,
  AccountError,
  type AccountReason,
  emailIndex,
  activeActorByEmail,
  type StaffUser,
} from './context.ts';
export {
  createOrganization,
  getUser,
  listUsers,
  changeRole,
  setDisabled,
  resetTwoFactor,
  unlockUser,
  countAwaitingSetup,
} from './people.ts';
export {
  inviteUser,
  linkUsable,
  acceptInvitation,
  needsSetup,
  createSetupLink,
  completeSetup,
  requestPasswordReset,
  resetPassword,
} from './links.ts';
export {
  type AttemptRefused,
  type SignInOutcome,
  SIGN_IN_REFUSED,
  signInWithPassword,
  verifySecondFactor,
  beginTwoFactorEnrolment,
  confirmTwoFactorEnrolment,
  reauthenticate,
} from './sign-in.ts';
export {
  type SignedInSession,
  type CurrentSession,
  sessionFromToken,
  recentlyReauthenticated,
  type SessionSummary,
  listSessions,
  endSessions,
  signOut,
} from './sessions.ts';
export { createApiToken, actorFromBearer, revokeApiToken } from './tokens.ts';
export { endAllSessions, existingRegions, revokeAllTokens } from './queries.ts';
