/**
 * The `nwd` command.
 *
 *   nwd start                      serve the product (bundled PostgreSQL unless DATABASE_URL is set)
 *   nwd migrate                    apply database migrations
 *   nwd import-pack <dir>          load or reload a jurisdiction pack (e.g. data/mn)
 *   nwd import-hsds <file>         add or update directory services from an HSDS 3.1 JSON file
 *   nwd export-hsds [--out FILE]   write the directory as HSDS 3.1 JSON
 *   nwd keys rotate                re-wrap every key under a new master key (resumable)
 *   nwd keys status                which master keys wrap how many keys
 *   nwd audit verify               check the audit log's hash chain
 *   nwd audit chain                link audit rows waiting for the chain now (the service does it every second)
 *   nwd seed-synthetic --cases N   write synthetic cases for demonstrations and benchmarks
 *   nwd training import-completions --org O --file F --as E   import training completions from CSV
 *   nwd report <measure> [--from D --to D] [--by B] [--format csv|json]   one evaluation measure
 *   nwd report refresh-facts       write the evaluation's reporting facts of every case again
 *   nwd i18n status|export|import  the public pages' translations: state, files for translators, their work
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError, type Config } from './config.ts';
import { EmbeddedStartError } from './db/embedded.ts';
import { MigrationError, migrate } from './db/migrate.ts';
import { hsdsPage, servicesInDocument } from './features/directory/hsds.ts';
import { validateHsdsService } from './features/directory/hsds-validate.ts';
import { allServicesHsds, bumpDataVersion, saveService } from './features/directory/queries.ts';
import { todayIn } from './features/help/rules.ts';
import { importPack } from './pack/import.ts';
import { loadPackRules } from './pack/rules.ts';
import { loadGeography } from './features/help/queries.ts';
import { seedSynthetic } from './features/synthetic/service.ts';
import { CommandError, tokensCommand, usersCommand } from './features/accounts/cli.ts';
import { assertMasterKeyAvailable, loadKeys } from './platform/keys/index.ts';
import type { AccountsContext } from './features/accounts/service.ts';
import { PackError } from './pack/load.ts';
import { TRAINING_USAGE, trainingCommand } from './features/training/index.ts';
import { I18N_USAGE, i18nCommand } from './features/translations/index.ts';
import { activeActorByEmail } from './features/accounts/service.ts';
import { REPORT_REFRESH_USAGE, reportCommand } from './features/evaluation/cli.ts';
import { REPORT_USAGE, commandContext, measureReportCommand } from './features/evaluation-reports/cli.ts';
import { ServiceError } from './platform/errors.ts';
import { auditChainCommand, auditVerifyCommand, type AuditHead } from './platform/audit/audit.ts';
import { MasterKeyError, MasterKeyUnavailableError } from './platform/crypto/errors.ts';
import { KeysCommandError, keysStatusCommand, rotateKeysCommand } from './platform/keys/index.ts';
import { createLogger, stdoutDestination, type Logger } from './platform/log.ts';
import { MailConfigError } from './platform/mail/index.ts';
import { openConfiguredDatabase, startService, type RunningService } from './server.ts';

const USAGE = `Usage: nwd <command>

Commands:
  start                       Serve No Wrong Door (PORT, default 3000). Without DATABASE_URL it runs
                              the bundled PostgreSQL with its data under NWD_DATA_DIR (default ./data).
  migrate                     Apply pending database migrations.
  import-pack <dir>           Load or reload a jurisdiction pack, for example data/mn.
  import-hsds <file>          Add or update directory services from an HSDS 3.1 JSON file
                              [--source TEXT] [--retrieved YYYY-MM-DD] [--verified]
  export-hsds [--out FILE]    Write the whole directory as HSDS 3.1 JSON (standard output by default).
  keys rotate                 Re-wrap every encryption key under a new master key: NWD_NEW_MASTER_KEY,
                              or with a key file a generated key (staged as <file>.next-<id> first).
                              [--batch-size N] Exits 1 when keys remain; running it again resumes.
                              With DATABASE_URL it runs while the service runs; with the bundled
                              PostgreSQL stop the service first.
  keys status                 Show which master keys wrap how many keys, and which are loaded.
  audit verify [--anchor SEQ:HASH]
                              Link the rows waiting for the chain, then check it: exit 0 with the head
                              to record, or 1 naming the first altered, missing or unlinked row.
                              --anchor: a head recorded earlier.
  audit chain                 Link the audit rows waiting for the chain now (a running service does it
                              every second); exits 1 if another process is linking them.
  users add --email E --role R --org O [--org-type T] [--region REGION …] [--name N]
                              Invite a person (prints a one-time link; the email goes to the outbox).
                              An unknown --org is created when --org-type is given.
  users list                  List the people with their role, organization and status.
  users disable --email E     Disable a person: their sessions end and their API tokens are revoked.
  tokens create --email E --scopes a,b --expires-days N
                              Create an API token for a person (printed once; stored hashed).
  tokens revoke <token id>    Revoke an API token: it stops working at once.
  seed-synthetic --cases N [--events N] [--seed N] [--housing-programs N] [--shelter-requests N]
                              Write N synthetic cases (invented young people, navigators and providers;
                              default 10 timeline events per case) for demonstrations and benchmarks.
                              Refused when NODE_ENV=production.
  training import-completions --org O --file F --as E
                              Import training completions from a CSV file (email or staff id, course
                              code, completed on, optional name) for organization O (id or name), as
                              the state or organization administrator with email E. Nothing is written
                              when a row is wrong: every wrong row is listed, and it exits 1.
  report <measure> [--from D --to D] [--by B] [--format csv|json]
                              One evaluation measure for the whole state (youth_served, services, exits,
                              referrals, first_contact, shelter_requests, placements, trainings), for a
                              quarter, state fiscal year or biennium that has ended (the last fiscal year
                              by default), broken down by B, with the reports' small-number protection.
  report refresh-facts        Write the evaluation's reporting facts (codes and days, no personal data)
                              of every case again; the service keeps them up to date every minute.
  i18n status [--locale L] [--list]
                              How many of the public pages' messages are untranslated, machine translated,
                              drafted, out of date, reviewed or approved in each language (es, so, hmn);
                              --list names the messages of language L still to translate or review.
  i18n export --locale L [--format xliff|csv] [--all] [--out F]
                              The file for translators: the messages of L still to do (or --all), with
                              the English, the translation and its status (XLIFF 2.0 by default).
  i18n import --locale L --file F [--format xliff|csv] --as E
                              Take a translator's file back, as the state administrator with email E:
                              nothing is written when a row is wrong (each is listed, exit 1).
  help                        Show this text.
`;

class UsageError extends Error {
  /** The usage of the one command concerned; the whole help when absent. */
  usage: string | undefined;
  constructor(message: string, usage?: string) {
    super(message);
    this.usage = usage;
  }
}

/** Runs an account command with the keyring loaded, as the service would. */
async function accountsCommand(
  config: Config,
  log: Logger,
  name: string,
  run: (ctx: AccountsContext) => Promise<string>,
): Promise<void> {
  assertMasterKeyAvailable(config);
  try {
    const text = await withDatabase(config, log, async (db) => {
      const { keyring } = await loadKeys(db, config, log);
      const site = {
        origin: config.publicUrl ?? `http://localhost:${config.port}`,
        development: !config.production,
      };
      return run({ db, keyring, site });
    });
    console.log(text);
  } catch (error) {
    if (error instanceof CommandError)
      throw new UsageError(`${name}: ${error.message}`, error.usage ?? `nwd ${name} …`);
    throw error;
  }
}

async function withDatabase<T>(
  config: Config,
  log: Logger,
  work: (db: Awaited<ReturnType<typeof openConfiguredDatabase>>['handle']['db']) => Promise<T>,
): Promise<T> {
  // Beside a running service on the bundled PostgreSQL, a command uses that server.
  const setup = await openConfiguredDatabase(config, log, { attach: true });
  try {
    await migrate(setup.handle.db);
    return await work(setup.handle.db);
  } finally {
    await setup.release();
  }
}

async function start(config: Config, log: Logger): Promise<void> {
  let service: RunningService | null = null;
  let signals = 0;
  const exit = (code: number) => log.flush(() => process.exit(code));
  // Handlers go in before anything starts: a signal during start-up still shuts down cleanly.
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1 || !service) {
      log.warn({ signal }, service ? 'second signal: exiting now' : 'signal during start-up: exiting');
      exit(1);
      return;
    }
    service.stop(signal).then(
      () => exit(0),
      (error: unknown) => {
        log.error({ err: String(error) }, 'shutdown failed');
        exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  service = await startService(config, log);
  console.log(`No Wrong Door is ready at ${service.url}`);
  if (service.setupLink) {
    console.log(
      `\nNo state administrator yet. Open this single-use link (valid for 24 hours) to create the first one:\n${service.setupLink}\n`,
    );
  }
}

async function seedSyntheticCommand(config: Config, log: Logger, args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      cases: { type: 'string' },
      events: { type: 'string' },
      seed: { type: 'string' },
      'housing-programs': { type: 'string' },
      'shelter-requests': { type: 'string' },
    },
  });
  const count = (name: string, raw: string | undefined, max: number): number | undefined => {
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > max)
      throw new UsageError(`--${name} must be a whole number from 1 to ${max}.`);
    return n;
  };
  const cases = count('cases', values.cases, 500_000);
  if (cases === undefined) throw new UsageError('seed-synthetic needs --cases N, for example --cases 20000.');
  const events = count('events', values.events, 50_000_000);
  const seed = count('seed', values.seed, 2 ** 31);
  const housingPrograms = count('housing-programs', values['housing-programs'], 5_000);
  const shelterRequests = count('shelter-requests', values['shelter-requests'], 5_000_000);
  if (config.production)
    throw new UsageError('seed-synthetic writes invented cases: it is refused when NODE_ENV=production.');
  assertMasterKeyAvailable(config);
  const summary = await withDatabase(config, log, async (db) => {
    const { keyring } = await loadKeys(db, config, log);
    await importPack(db, config.packDir, { force: false });
    const geography = await loadGeography(db);
    const { vocabularies, calendar } = loadPackRules(config.packDir);
    return seedSynthetic(
      { db, keyring, geography, vocabularies, calendar },
      {
        cases,
        ...(events !== undefined ? { events } : {}),
        ...(seed !== undefined ? { seed } : {}),
        ...(housingPrograms !== undefined ? { housingPrograms } : {}),
        ...(shelterRequests !== undefined ? { shelterRequests } : {}),
        progress: (n) => process.stderr.write(`\r${n} of ${cases} cases written`),
      },
    );
  });
  process.stderr.write('\n');
  console.log(
    `Wrote ${summary.cases} synthetic cases with ${summary.events} timeline events, ${summary.notes} notes, ${summary.tasks} tasks, ` +
      `${summary.referrals} referrals, ${summary.consents} consents and ${summary.safetyPlans} safety plans; ` +
      `${summary.navigators} synthetic navigators in ${summary.organizations} synthetic organizations (they cannot sign in); ` +
      `${summary.housingPrograms} housing programs with ${summary.availabilityUpdates} availability updates; ` +
      `${summary.shelter.requests} past shelter requests (${summary.shelter.unmet} unmet) with ${summary.shelter.offers} answers and ${summary.shelter.placements} placements. ` +
      `${(summary.ms / 1000).toFixed(1)} s.`,
  );
}

async function keysCommand(config: Config, log: Logger, args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub !== 'rotate' && sub !== 'status') throw new UsageError('keys needs "rotate" or "status".');
  const { values } = parseArgs({ args: rest, options: { 'batch-size': { type: 'string' } } });
  let batchSize: number | undefined;
  if (values['batch-size'] !== undefined) {
    batchSize = Number(values['batch-size']);
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000)
      throw new UsageError('--batch-size must be a whole number from 1 to 10000.');
  }
  const output = { out: (line: string) => console.log(line), err: (line: string) => console.error(line) };
  process.exitCode = await besideTheService(`keys ${sub}`, config, () =>
    withDatabase(config, log, (db) =>
      sub === 'rotate'
        ? rotateKeysCommand(db, config, output, batchSize === undefined ? {} : { batchSize })
        : keysStatusCommand(db, config, output),
    ),
  );
}

/** Runs an operator command; when the bundled PostgreSQL's data directory is taken, says what to do. */
async function besideTheService<T>(command: string, config: Config, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (
      error instanceof EmbeddedStartError &&
      !config.databaseUrl &&
      error.message.includes('already using the data directory')
    ) {
      throw new EmbeddedStartError(
        `${error.message}\nWith the bundled PostgreSQL, "nwd ${command}" cannot run beside the service (one ` +
          `process per data directory): stop the service first, then run it again. With DATABASE_URL it ` +
          `runs while the service runs.`,
      );
    }
    throw error;
  }
}

async function auditCommand(config: Config, log: Logger, args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub !== 'verify' && sub !== 'chain') throw new UsageError('audit needs "verify" or "chain".');
  let anchor: AuditHead | undefined;
  if (sub === 'verify') {
    const { values } = parseArgs({ args: rest, options: { anchor: { type: 'string' } } });
    if (values.anchor !== undefined) {
      const m = /^(\d{1,15}):([0-9a-f]{64})$/.exec(values.anchor.trim().toLowerCase());
      if (!m)
        throw new UsageError('--anchor must be SEQ:HASH, as "nwd audit verify" printed it (row and sha256).');
      anchor = { seq: Number(m[1]), hash: m[2]! };
    }
  }
  const { exitCode, message } = await besideTheService(`audit ${sub}`, config, () =>
    withDatabase(config, log, async (db) => {
      const chained = await auditChainCommand(db);
      if (sub === 'chain') return chained;
      // Rows written while no service ran (by other commands) are linked first; a running service's
      // chainer holding the lock does it itself.
      return auditVerifyCommand(db, anchor ? { anchor } : {});
    }),
  );
  if (exitCode === 0) console.log(message);
  else console.error(message);
  process.exitCode = exitCode;
}

async function importHsds(config: Config, log: Logger, args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      source: { type: 'string' },
      retrieved: { type: 'string' },
      verified: { type: 'boolean', default: false },
    },
  });
  const file = positionals[0];
  if (!file) throw new UsageError('import-hsds needs the path of an HSDS JSON file.');
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`Could not read ${file} as JSON: ${(error as Error).message}`);
  }
  const services = servicesInDocument(doc);
  if (!services)
    throw new UsageError(
      `${file} holds no HSDS services: expected a service, an array of services, or a paginated list with "contents".`,
    );
  const problems = services.flatMap((s, i) => {
    const r = validateHsdsService(s);
    return r.valid ? [] : r.errors.map((e) => `service ${i} (${String(s.id ?? 'no id')}): ${e}`);
  });
  if (problems.length)
    throw new UsageError(
      `${file} is not valid HSDS 3.1; nothing was imported:\n  ${problems.slice(0, 30).join('\n  ')}`,
    );
  const retrieved = values.retrieved ?? todayIn('America/Chicago');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(retrieved))
    throw new UsageError('--retrieved must be a date as YYYY-MM-DD.');
  const count = await withDatabase(config, log, async (db) => {
    const pack = await db
      .selectFrom('packs')
      .select('jurisdiction')
      .orderBy('imported_at', 'desc')
      .executeTakeFirst();
    if (!pack) throw new UsageError('Load a jurisdiction pack first: nwd import-pack data/mn');
    await db.transaction().execute(async (trx) => {
      for (const service of services) {
        await saveService(trx, {
          jurisdiction: pack.jurisdiction,
          service,
          provenance: {
            source: values.source ?? `HSDS import of ${file}`,
            retrieved,
            verified: values.verified ?? false,
          },
          origin: 'hsds-import',
        });
      }
      await bumpDataVersion(trx, 'directory');
    });
    return services.length;
  });
  console.log(`Imported ${count} service${count === 1 ? '' : 's'} from ${file}.`);
}

async function exportHsds(config: Config, log: Logger, args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { out: { type: 'string' } } });
  const services = await withDatabase(config, log, (db) => allServicesHsds(db));
  const json = `${JSON.stringify(hsdsPage(services, services.length, 1, Math.max(1, services.length)), null, 2)}\n`;
  if (values.out) {
    writeFileSync(values.out, json);
    console.log(`Wrote ${services.length} services to ${values.out}.`);
  } else {
    process.stdout.write(json);
  }
}

export async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  let log: Logger | null = null;
  try {
    const config = loadConfig();
    // Commands other than start keep standard output for their own results.
    log =
      command === 'start'
        ? createLogger(config.logLevel, stdoutDestination())
        : createLogger('warn', process.stderr);
    switch (command) {
      case 'start':
        return await start(config, log);
      case 'migrate': {
        const applied = await withDatabase(config, log, (db) => migrate(db));
        console.log(applied.length ? `Applied ${applied.join(', ')}.` : 'The database is up to date.');
        return;
      }
      case 'import-pack': {
        const dir = args[0];
        if (!dir) throw new UsageError('import-pack needs the folder of a pack, for example data/mn.');
        const result = await withDatabase(config, log, (db) => importPack(db, dir, { force: true }));
        const c = result.counts;
        console.log(
          `Loaded pack ${result.jurisdiction} ${result.version}: ${c.counties} counties, ${c.regions} regions, ${c.organizations} organizations, ` +
            `${c.lines} lines, ${c.zips} ZIP codes, ${c.services} services.`,
        );
        for (const k of result.skipped)
          console.log(
            `Kept an administrator's newer edit (${k.editedAt}) of ${k.kind} ${k.id}; not overwritten.`,
          );
        return;
      }
      case 'import-hsds':
        return await importHsds(config, log, args);
      case 'export-hsds':
        return await exportHsds(config, log, args);
      case 'keys':
        return await keysCommand(config, log, args);
      case 'audit':
        return await auditCommand(config, log, args);
      case undefined:
      case 'users':
        return await accountsCommand(config, log, 'users', (ctx) => usersCommand(ctx, args));
      case 'tokens':
        return await accountsCommand(config, log, 'tokens', (ctx) => tokensCommand(ctx, args));
      case 'seed-synthetic':
        return await seedSyntheticCommand(config, log, args);
      case 'training':
        return await accountsCommand(config, log, 'training', async (ctx) => {
          try {
            const { timezone } = loadPackRules(config.packDir).calendar;
            const done = await trainingCommand({ ...ctx, timezone, dueDays: config.trainingDueDays }, args);
            if (!done.ok) process.exitCode = 1;
            return done.text;
          } catch (error) {
            if (error instanceof ServiceError)
              throw new UsageError(`training: ${error.message}`, TRAINING_USAGE);
            throw error;
          }
        });
      case 'i18n':
        return await accountsCommand(config, log, 'i18n', async (ctx) => {
          try {
            const done = await i18nCommand(
              { db: ctx.db, actorByEmail: (email) => activeActorByEmail(ctx, email) },
              args,
            );
            if (!done.ok) process.exitCode = 1;
            return done.text;
          } catch (error) {
            if (error instanceof ServiceError) throw new UsageError(`i18n: ${error.message}`, I18N_USAGE);
            throw error;
          }
        });
      case 'report':
        if (args[0] !== 'refresh-facts') {
          try {
            console.log(
              await withDatabase(config, log, (db) =>
                measureReportCommand(
                  commandContext(db, loadPackRules(config.packDir), config.smallNumberThreshold),
                  args,
                ),
              ),
            );
          } catch (error) {
            if (error instanceof ServiceError) throw new UsageError(`report: ${error.message}`, REPORT_USAGE);
            throw error;
          }
          return;
        }
        assertMasterKeyAvailable(config);
        try {
          console.log(
            await withDatabase(config, log, async (db) => {
              const { keyring } = await loadKeys(db, config, log!);
              const { calendar, vocabularies } = loadPackRules(config.packDir);
              return reportCommand({ db, keyring, calendar, vocabularies, log: log! }, args);
            }),
          );
        } catch (error) {
          if (error instanceof ServiceError)
            throw new UsageError(`report: ${error.message}`, REPORT_REFRESH_USAGE);
          throw error;
        }
        return;
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        return;
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(error.usage ? `${error.message}\nUsage: ${error.usage}` : `${error.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else if (
      error instanceof ConfigError ||
      error instanceof EmbeddedStartError ||
      error instanceof PackError ||
      error instanceof MigrationError ||
      error instanceof MasterKeyError ||
      error instanceof MasterKeyUnavailableError ||
      error instanceof KeysCommandError ||
      error instanceof MailConfigError
    ) {
      console.error(error.message);
      process.exitCode = 1;
    } else {
      console.error(`nwd ${command ?? ''} failed: ${(error as Error).message}`);
      log?.error(
        { err: { message: (error as Error).message, stack: (error as Error).stack } },
        'command failed',
      );
      process.exitCode = 1;
    }
  }
}
