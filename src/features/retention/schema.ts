/**
 * The search of a person's cases, for the staff form: a case number, or the name they use with their
 * date of birth. Each message names its field.
 */
import { z } from 'zod';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export const PersonSearchSchema = z
  .object({ caseId: z.string().trim(), chosenName: z.string().trim(), dateOfBirth: z.string().trim() })
  .superRefine((v, ctx) => {
    const issue = (field: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [field], message });
    if (v.caseId) {
      if (!UUID.test(v.caseId)) issue('caseId', 'A case number looks like 8-4-4-4-12 letters and digits.');
      return;
    }
    if (!v.chosenName || v.chosenName.length > 100)
      issue('chosenName', 'Enter the name they use (at most 100 characters), or a case number.');
    if (!ISO_DATE.test(v.dateOfBirth) || Number.isNaN(Date.parse(v.dateOfBirth)))
      issue('dateOfBirth', 'Enter the date of birth, for example 2009-04-01.');
  });
export type PersonSearch = z.infer<typeof PersonSearchSchema>;

/** Whether a path's case id can be one at all. */
export const isCaseId = (id: string) => UUID.test(id);
