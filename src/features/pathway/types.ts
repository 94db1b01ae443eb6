/**
 * The pathway's vocabulary: what a person asking tells it (the facts), and what it answers
 * (classification and actions). The rules themselves are data (`data/<jurisdiction>/pathway.json`).
 */
import { z } from 'zod';
import type { Lookup } from '../help/index.ts';

export const REPORTER_ROLES = [
  'law_enforcement',
  'child_protection',
  'education',
  'health_care',
  'mental_health',
  'social_services',
  'child_care',
  'corrections_probation',
  'clergy',
  'shelter_or_outreach',
  'other_professional',
  'family_or_friend',
  'youth_self',
  'community_member',
] as const;
export type ReporterRole = (typeof REPORTER_ROLES)[number];

/** Roles Minn. Stat. 260E.06 makes mandated reporters. */
export const MANDATED_ROLES: readonly ReporterRole[] = [
  'law_enforcement',
  'education',
  'health_care',
  'mental_health',
  'social_services',
  'child_care',
  'corrections_probation',
  'clergy',
  'shelter_or_outreach',
];

/** Local, state or federal officials (22 USC 7105(b): OTIP referral). */
export const OFFICIAL_ROLES: readonly ReporterRole[] = [
  'law_enforcement',
  'child_protection',
  'corrections_probation',
];

export const AGE_BANDS = ['under18', '18to24', '25plus'] as const;
export type AgeBandInput = (typeof AGE_BANDS)[number];

export const TRI_STATE = ['yes', 'no', 'unknown'] as const;
export type TriState = (typeof TRI_STATE)[number];

export const ACTION_CODES = [
  'CALL_911',
  'REPORT_CHILD_PROTECTION',
  'WRITTEN_REPORT_72H',
  'CP_NONCAREGIVER_TRAFFICKING_ASSESSMENT',
  'CP_INVESTIGATION',
  'REPORT_MISSING_LAW_ENFORCEMENT',
  'REPORT_MISSING_NCMEC',
  'REPORT_TRAFFICKING_RISK_LAW_ENFORCEMENT',
  'RETURN_MEETING_24H',
  'DOCUMENT_SSIS_SEY_STY',
  'OTIP_REQUEST_FOR_ASSISTANCE',
  'CROSS_REPORT_LAW_ENFORCEMENT',
  'TRIBAL_CHILD_WELFARE',
  'TRIBAL_SERVICES',
  'NOT_DELINQUENT',
  'SAFE_HARBOR_ELIGIBLE',
  'REFER_REGIONAL_NAVIGATOR',
  'ADULT_VICTIM_SERVICES',
  'SAFE_HARBOR_FOR_ALL_PROPOSAL',
  'LABOR_TRAFFICKING_SERVICES',
  'SAFETY_PLAN',
  'HOTLINE_INFO',
] as const;
export type ActionCode = (typeof ACTION_CODES)[number];

export type Indication = 'indicated' | 'possible' | 'not_indicated';
export type Binds = 'reporter' | 'child_protection' | 'official' | 'anyone';

/** The facts after defaults: what the engine evaluates. */
export interface PathwayFacts {
  asOf: string;
  age: number | null;
  ageBand: AgeBandInput | null;
  reporterRole: ReporterRole;
  exchangeForValue: TriState;
  thirdPartyProfit: TriState;
  /**
   * Someone recruited, enticed or advertised the young person for commercial sex (609.321 subd. 7a).
   * Absent means "no" (the input's default), as for `americanIndian`.
   */
  recruitedOrAdvertised?: TriState;
  /** The young person is American Indian (for ICWA and the Minnesota Indian Family Preservation Act). */
  americanIndian?: TriState;
  allegedOffenderIsCaregiver: TriState;
  laborExploitation: TriState;
  foreignNational: TriState;
  inOutOfHomeCare: boolean;
  currentlyMissingFromCare: boolean;
  foundAfterMissingFromCare: boolean;
  immediateDanger: boolean;
  county: string | null;
  riskFactors: string[];
}

export interface Classification {
  sexTrafficking: Indication;
  commercialSexualExploitation: Indication;
  laborTrafficking: Indication;
  atRisk: boolean;
  minor: boolean | null;
}

export interface Basis {
  citation: string;
  source: string;
}

export interface PhoneNumber {
  /** Digits to dial, for `tel:` and `sms:` links. */
  dial: string;
  display: string;
}

export interface Contact {
  /** `navigator`, a line id of the pack (`day-one`, `ncmec`, …) or a contact of the rules file (`otip`). */
  id: string;
  name: string;
  phone?: PhoneNumber;
  text?: PhoneNumber;
  url?: string;
  /** For example: not confirmed yet, call Day One first. */
  note?: string;
  /** False when the contact's details are not confirmed in a source. */
  verified: boolean;
}

export interface PathwayAction {
  code: ActionCode;
  required: boolean;
  deadlineHours?: number;
  /**
   * What the deadline counts from: `oral_report` (the spoken report the person made), otherwise from
   * when the person learned of it.
   */
  deadlineFrom?: 'oral_report';
  /** True when the deadline counts only business days (weekends and holidays excluded). */
  deadlineBusinessDays?: boolean;
  binds: Binds;
  title: string;
  explanation: string;
  basis: Basis[];
  contacts?: Contact[];
}

/** Something the person asking should read once, before the actions (not a duty). */
export interface Notice {
  code: 'unknown_age' | 'exchange_reconciled' | 'recruitment';
  text: string;
}

export interface PathwayAnswer {
  classification: Classification;
  /** Read once, before the actions: how the answers were read (an unknown age, reconciled answers). */
  notices: Notice[];
  actions: PathwayAction[];
  navigator?: Lookup;
  rulesVersion: string;
}

/**
 * What a screening hands on to a warm referral: which instrument, the answers in plain words (question
 * and answer as shown), and the facts the pathway was given. Travels in one hidden form field as JSON;
 * it is personal data once stored (encrypt it).
 */
export const ScreeningHandoffSchema = z
  .object({
    instrument: z.object({ id: z.string().min(1).max(100), version: z.string().min(1).max(50) }).strict(),
    answers: z
      .array(
        z
          .object({
            itemId: z.string().min(1).max(100),
            question: z.string().max(500),
            answer: z.string().max(2000),
          })
          .strict(),
      )
      .max(200),
    facts: z.record(z.string(), z.unknown()),
  })
  .strict();
export type ScreeningHandoff = z.infer<typeof ScreeningHandoffSchema>;
