/**
 * Screening: instruments as versioned data, the public `/identify` flow, and their administration.
 */
import type { Feature } from '../../app-types.ts';
import { identifyPages } from './identify-pages.tsx';
import { instrumentAdminRoutes } from './routes.tsx';
import { InstrumentCatalogue, loadShippedInstruments, shippedInstrumentsDir } from './service.ts';

export { checkInstrument, type InstrumentContext } from './check.ts';
export { InstrumentSchema, instrumentKey, type Instrument } from './schema.ts';
export { InstrumentCatalogue, loadShippedInstruments, shippedInstrumentsDir } from './service.ts';

/** Registers `/identify` and `/staff/admin/instruments`. */
export const screening: Feature = (app, deps, policies) => {
  const ruleset = deps.rules.pathway;
  const context = { riskFactorCodes: new Set(ruleset.riskFactors.map((f) => f.code)) };
  const shipped = loadShippedInstruments(shippedInstrumentsDir(ruleset.jurisdiction), context);
  const catalogue = new InstrumentCatalogue(deps.db, shipped, context, (key, problems) =>
    deps.log.warn(
      { instrument: key, problems },
      'a stored screening instrument no longer checks against the pathway: /identify uses the shipped checklist',
    ),
  );
  identifyPages(app, deps, policies, catalogue);
  instrumentAdminRoutes(catalogue)(app, deps, policies);
};
