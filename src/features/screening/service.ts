/**
 * Screening instruments: the shipped checklist (read from the pack, always available), the ones an
 * administrator loads (stored versioned in PostgreSQL), and which one `/identify` uses.
 *
 * Use cases check access first and record their audit event in the same transaction.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from '../../db/database.ts';
import { authorize, type Actor } from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { ServiceError, type RefusalCode } from '../../platform/errors.ts';
import type { RequestOrigin } from '../accounts/service.ts';
import { checkInstrument, MAX_INSTRUMENT_BYTES, type InstrumentContext } from './check.ts';
import {
  insertInstrument,
  lockInstrument,
  publishedInstrument,
  setInstrumentStatus,
  storedDefinition,
  storedInstruments,
} from './queries.ts';
import { instrumentKey, type Instrument } from './schema.ts';
import type { InstrumentStatus } from './tables.ts';

/** The folder of a jurisdiction's shipped instruments: `data/<jurisdiction>/instruments/`. */
export function shippedInstrumentsDir(jurisdiction: string): string {
  return fileURLToPath(new URL(`../../../data/${jurisdiction}/instruments/`, import.meta.url));
}

/** The id of the instrument `/identify` uses when no other is published. */
export const DEFAULT_INSTRUMENT_ID = 'safe-harbor-indicators';

/**
 * Reads and checks every instrument shipped in a folder. A shipped file that does not check is a bug in
 * the pack: start-up stops with the problems.
 */
export function loadShippedInstruments(dir: string, ctx: InstrumentContext): Instrument[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const instruments = files.map((f) => {
    const result = checkInstrument(JSON.parse(readFileSync(join(dir, f), 'utf8')), ctx);
    if (!result.ok)
      throw new Error(`${join(dir, f)} is not a valid instrument:\n- ${result.problems.join('\n- ')}`);
    return result.instrument;
  });
  if (instruments.length === 0) throw new Error(`${dir} holds no screening instrument.`);
  // The default first.
  return instruments.sort(
    (a, b) => Number(b.id === DEFAULT_INSTRUMENT_ID) - Number(a.id === DEFAULT_INSTRUMENT_ID),
  );
}

/** A refusal an administrator can act on, with every problem the check found. */
export class InstrumentError extends ServiceError {
  constructor(
    code: RefusalCode,
    message: string,
    readonly problems: readonly string[] = [message],
  ) {
    super(code, message);
  }
}

export interface InstrumentSummary {
  id: string;
  version: string;
  name: string;
  validated: boolean;
  /** `shipped` for an instrument of the pack. */
  status: InstrumentStatus | 'shipped';
  inUse: boolean;
  loadedAt: Date | null;
}

const checksumOf = (definition: string) => createHash('sha256').update(definition).digest('hex');

/**
 * The instruments the service knows. Keeps the parsed definition of stored instruments by checksum, so
 * a page asks PostgreSQL only which instrument is published (one row, by a unique index).
 */
export class InstrumentCatalogue {
  readonly #parsed = new Map<string, Instrument | null>();

  constructor(
    readonly db: Database,
    readonly shipped: readonly Instrument[],
    readonly context: InstrumentContext,
    private readonly onInvalid: (key: string, problems: readonly string[]) => void = () => undefined,
  ) {
    if (!shipped[0]) throw new Error('At least one shipped instrument is needed.');
  }

  get fallback(): Instrument {
    return this.shipped[0]!;
  }

  /** A stored definition, checked again: the pathway's vocabulary may have moved since it was loaded. */
  #usable(key: string, checksum: string, definition: unknown): Instrument | null {
    if (!this.#parsed.has(checksum)) {
      const result = checkInstrument(definition, this.context);
      if (!result.ok) this.onInvalid(key, result.problems);
      this.#parsed.set(checksum, result.ok ? result.instrument : null);
    }
    return this.#parsed.get(checksum) ?? null;
  }

  async #published(): Promise<Instrument | null> {
    const row = await publishedInstrument(this.db);
    if (!row) return null;
    if (!this.#parsed.has(row.checksum)) {
      const full = await storedDefinition(this.db, row.id, row.version);
      return full ? this.#usable(`${row.id}:${row.version}`, row.checksum, full.definition) : null;
    }
    return this.#parsed.get(row.checksum) ?? null;
  }

  /** The instrument `/identify` uses now: the published one, or the shipped checklist. */
  async current(): Promise<Instrument> {
    return (await this.#published()) ?? this.fallback;
  }

  /**
   * The instrument a form names (`id:version`), if it may still be used: a shipped one, or the one
   * published now. A form started before the administrator changed instruments gets null.
   */
  async usable(key: string): Promise<Instrument | null> {
    const shipped = this.shipped.find((i) => instrumentKey(i) === key);
    if (shipped) return shipped;
    const published = await this.#published();
    return published && instrumentKey(published) === key ? published : null;
  }

  /** Any instrument the service holds, whatever its status (for administrators). */
  async byKey(
    id: string,
    version: string,
  ): Promise<{ instrument: Instrument; summary: InstrumentSummary } | null> {
    const list = await this.list();
    const summary = list.find((s) => s.id === id && s.version === version);
    if (!summary) return null;
    const shipped = this.shipped.find((i) => i.id === id && i.version === version);
    if (shipped) return { instrument: shipped, summary };
    const row = await storedDefinition(this.db, id, version);
    const instrument = row ? this.#usable(`${id}:${version}`, row.checksum, row.definition) : null;
    return instrument ? { instrument, summary } : null;
  }

  /** Every instrument: the shipped ones first, then the stored ones, newest first. */
  async list(): Promise<InstrumentSummary[]> {
    const rows = await storedInstruments(this.db);
    const published = rows.some((r) => r.status === 'published');
    return [
      ...this.shipped.map((i, n) => ({
        id: i.id,
        version: i.version,
        name: i.name,
        validated: i.validated,
        status: 'shipped' as const,
        inUse: !published && n === 0,
        loadedAt: null,
      })),
      ...rows.map((r) => ({
        id: r.id,
        version: r.version,
        name: r.name,
        validated: r.validated,
        status: r.status,
        inUse: r.status === 'published',
        loadedAt: r.loaded_at,
      })),
    ];
  }
}

const MAY_NOT_MANAGE = { message: 'You do not have permission to manage screening instruments.' };

function auditActor(actor: Actor, origin: RequestOrigin) {
  return {
    actorKind: 'user' as const,
    actorUserId: actor.userId,
    organizationId: actor.organizationId,
    ip: origin.ip,
    userAgent: origin.userAgent,
  };
}

/**
 * Checks an instrument written as JSON and stores it, versioned, as `loaded` (not yet used). The same
 * file loaded twice is recognised; another file under a stored id and version is refused.
 *
 * @example
 * await loadInstrument(catalogue, admin, text, origin) // { instrument, already: false }
 */
export async function loadInstrument(
  catalogue: InstrumentCatalogue,
  actor: Actor,
  json: string,
  origin: RequestOrigin,
): Promise<{ instrument: Instrument; already: boolean }> {
  authorize(actor, 'instruments.manage', undefined, MAY_NOT_MANAGE);
  if (json.trim() === '')
    throw new InstrumentError('invalid', 'Paste the instrument as JSON, or choose its file.');
  if (Buffer.byteLength(json) > MAX_INSTRUMENT_BYTES)
    throw new InstrumentError(
      'invalid',
      `The instrument is larger than ${MAX_INSTRUMENT_BYTES / 1024} KB. Check that it is the right file.`,
    );
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new InstrumentError(
      'invalid',
      `This is not valid JSON: ${(error as Error).message}. Check the file, or paste it again.`,
    );
  }
  const checked = checkInstrument(raw, catalogue.context);
  if (!checked.ok)
    throw new InstrumentError(
      'invalid',
      `The instrument has ${checked.problems.length === 1 ? 'a problem' : `${checked.problems.length} problems`}.`,
      checked.problems,
    );
  const instrument = checked.instrument;
  const key = instrumentKey(instrument);
  if (catalogue.shipped.some((i) => instrumentKey(i) === key))
    throw new InstrumentError(
      'conflict',
      `${key} is the shipped checklist, which is always available. Give your instrument another id or version.`,
    );
  const definition = JSON.stringify(instrument);
  const checksum = checksumOf(definition);
  return catalogue.db.transaction().execute(async (trx) => {
    const existing = await lockInstrument(trx, instrument.id, instrument.version);
    if (existing) {
      if (existing.checksum === checksum) return { instrument, already: true };
      throw new InstrumentError(
        'conflict',
        `Version ${instrument.version} of "${instrument.id}" is already loaded with different content. Instruments are never changed once loaded: give this one a new version.`,
      );
    }
    await insertInstrument(trx, {
      id: instrument.id,
      version: instrument.version,
      name: instrument.name,
      validated: instrument.validated,
      definition,
      checksum,
      loadedBy: actor.userId,
    });
    await recordAudit(trx, {
      ...auditActor(actor, origin),
      action: 'instrument.load',
      subjectType: 'screening_instrument',
      subjectId: key,
      details: { checksum, validated: instrument.validated, groups: instrument.groups.length },
    });
    return { instrument, already: false };
  });
}

/**
 * Makes an instrument the one `/identify` uses (`publish`), or withdraws it for good (`retire`).
 * Publishing the shipped checklist withdraws the published one; the shipped checklist itself cannot be
 * retired, and a retired instrument cannot be published again (load it under a new version).
 */
export async function changeInstrumentStatus(
  catalogue: InstrumentCatalogue,
  actor: Actor,
  id: string,
  version: string,
  change: 'publish' | 'retire',
  origin: RequestOrigin,
): Promise<void> {
  authorize(actor, 'instruments.manage', undefined, MAY_NOT_MANAGE);
  const key = `${id}:${version}`;
  const shipped = catalogue.shipped.find((i) => i.id === id && i.version === version);
  if (shipped && change === 'retire')
    throw new InstrumentError(
      'invalid',
      'The shipped checklist is always available. To stop using it, use another instrument instead.',
    );
  if (shipped && shipped !== catalogue.fallback)
    throw new InstrumentError('invalid', 'Only the default shipped checklist can be chosen directly.');
  await catalogue.db.transaction().execute(async (trx) => {
    const now = new Date();
    const previous = await publishedInstrument(trx, { lock: true });
    const previousKey = previous ? `${previous.id}:${previous.version}` : instrumentKey(catalogue.fallback);
    if (!shipped) {
      const row = await lockInstrument(trx, id, version);
      if (!row) throw new InstrumentError('not_found', 'There is no such instrument.');
      if (row.status === 'retired')
        throw new InstrumentError(
          'invalid',
          change === 'publish'
            ? 'This instrument is retired and cannot be used again. Load it under a new version instead.'
            : 'This instrument is already retired.',
        );
    }
    if (change === 'publish' && previous && previousKey !== key)
      await setInstrumentStatus(trx, previous.id, previous.version, 'loaded', now);
    if (!shipped)
      await setInstrumentStatus(trx, id, version, change === 'publish' ? 'published' : 'retired', now);
    await recordAudit(trx, {
      ...auditActor(actor, origin),
      action: change === 'publish' ? 'instrument.publish' : 'instrument.retire',
      subjectType: 'screening_instrument',
      subjectId: key,
      details: change === 'publish' ? { previous: previousKey, shipped: Boolean(shipped) } : {},
    });
  });
}
