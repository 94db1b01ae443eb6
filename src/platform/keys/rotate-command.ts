/**
 * `nwd keys rotate` and `nwd keys status`: the operator's side of master-key rotation, following the flow
 * in src/platform/crypto/rotate.ts.
 *
 * - Key file in use: the new key is NWD_NEW_MASTER_KEY or a generated one, written to
 *   `<file>.next-<id>` (mode 0600) before any row is re-wrapped; when every row is re-wrapped the key
 *   file is replaced and the old key kept as `<file>.previous-<id>`. An interrupted run is resumed by
 *   running the command again (it finds the staged file).
 * - NWD_MASTER_KEY in use: NWD_NEW_MASTER_KEY is required (a generated key would have to be printed,
 *   and keys are never printed); the operator then updates the secret store.
 * - No new key, but keys still wrapped under a previous key (instances that kept the old key until
 *   their restart): those are re-wrapped to the current key.
 *
 * The completed rotation is recorded in the audit log (`keys.rotate`, actor `system`).
 */
import { existsSync } from 'node:fs';
import {
  MASTER_KEY_ENV,
  NEW_MASTER_KEY_ENV,
  PREVIOUS_MASTER_KEYS_ENV,
  generateMasterKey,
  loadOrCreateMasterKey,
  loadPreviousMasterKeys,
  parseMasterKey,
  previousKeyFilePath,
  promoteStagedKeyFile,
  readMasterKeyFile,
  rotateMasterKey,
  stagedKeyFilePath,
  stagedKeyFiles,
  wrappedKeyCounts,
  writeMasterKeyFileExclusive,
  type MasterKey,
  type WrappedKeyCount,
} from '../crypto/index.ts';
import type { AnyKysely } from '../crypto/tables.ts';
import { recordAudit } from '../audit/audit.ts';
import { describeCounts, unavailableKeysError, type KeySettings } from './load.ts';

/** A refusal with a message for the operator (exit status 1). */
export class KeysCommandError extends Error {
  override name = 'KeysCommandError';
}

/** Where the command writes: progress and results to `out`, problems to `err`. */
export interface CommandOutput {
  out(line: string): void;
  err(line: string): void;
}

export interface RotateCommandOptions {
  /** Keys re-wrapped per transaction (default 500). */
  batchSize?: number;
}

type Plan =
  | { mode: 'new'; next: MasterKey; stage: boolean }
  | { mode: 'resume'; next: MasterKey }
  | { mode: 'catch-up'; next: MasterKey };

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Runs `nwd keys rotate`. Returns the exit status: 0 when every key is under the new (or current) master
 * key, 1 when some remain (running it again resumes). Refusals throw `KeysCommandError` or
 * `MasterKeyError`.
 *
 * @example
 * process.exitCode = await rotateKeysCommand(db, config, { out: console.log, err: console.error });
 */
export async function rotateKeysCommand(
  db: AnyKysely,
  settings: KeySettings,
  output: CommandOutput,
  options: RotateCommandOptions = {},
): Promise<0 | 1> {
  const env = settings.secrets.masterKeyEnv();
  const keyFile = settings.masterKeyFile;
  const { key: current, source } = loadOrCreateMasterKey({ env, keyFile, allowCreate: false });
  const previous = loadPreviousMasterKeys({ env, keyFile }).filter((k) => k.id !== current.id);
  const counts = await wrappedKeyCounts(db);
  const plan = planRotation(settings, current, previous, counts);
  const { next } = plan;

  const known = new Set([current.id, next.id, ...previous.map((k) => k.id)]);
  const unavailable = counts.filter((c) => !known.has(c.masterKeyId));
  if (unavailable.length > 0) throw unavailableKeysError(unavailable, [...known]);

  const from = (plan.mode === 'catch-up' ? previous : [current, ...previous]).filter((k) => k.id !== next.id);
  const fromIds = new Set(from.map((k) => k.id));
  const toMove = counts.filter((c) => fromIds.has(c.masterKeyId));
  if (plan.mode === 'catch-up' && toMove.length === 0) {
    output.out(
      `Nothing to re-wrap: every key is under the current master key ${current.id}. To rotate to a new ` +
        `master key, ${source === 'env' ? `set ${NEW_MASTER_KEY_ENV} to a new key from your secret store` : `unset ${NEW_MASTER_KEY_ENV}`} and run this again.`,
    );
    return 0;
  }

  const staged = stagedKeyFilePath(keyFile, next.id);
  if (plan.mode === 'new' && plan.stage) {
    // Written before any row is re-wrapped: a crash must never leave rows under a key only in memory.
    if (!writeMasterKeyFileExclusive(staged, next) && readMasterKeyFile(staged).id !== next.id) {
      throw new KeysCommandError(`${staged} exists and holds another key: remove it or move it away first.`);
    }
    output.out(`The new master key ${next.id} is staged in ${staged} (mode 0600).`);
  } else if (plan.mode === 'resume') {
    output.out(`Resuming the rotation to master key ${next.id}, staged in ${staged}.`);
  }
  if (plan.mode !== 'catch-up' && source === 'env') {
    const accepted = (env[PREVIOUS_MASTER_KEYS_ENV] ?? '').split(',').filter((p) => p.trim() !== '');
    const instancesReadNext = accepted.some((p) => {
      try {
        return parseMasterKey(p, PREVIOUS_MASTER_KEYS_ENV).id === next.id;
      } catch {
        return false;
      }
    });
    if (!instancesReadNext) {
      output.err(
        `Reminder: running instances read keys re-wrapped under ${next.id} only if they hold that key. ` +
          `Configured by environment, they need the value of ${NEW_MASTER_KEY_ENV} in their ` +
          `${PREVIOUS_MASTER_KEYS_ENV} (then a restart) before the rotation; otherwise stop them while it runs.`,
      );
    }
  }
  output.out(
    plan.mode === 'catch-up'
      ? `Re-wrapping ${describeCounts(toMove)} to the current master key ${next.id}…`
      : `Re-wrapping every key from ${[...fromIds].join(', ')} to ${next.id}…`,
  );

  const result = await rotateMasterKey(db, from, next, {
    batchSize: options.batchSize ?? 500,
    onBatch: (t) =>
      output.out(
        `  ${plural(t.dataKeys, 'data key')}, ${plural(t.indexKeys, 'index key')} and ${plural(t.destroyed, 'destroyed key')} re-wrapped so far`,
      ),
  });

  if (result.remaining.length > 0) {
    const left = result.remaining.reduce((n, c) => n + c.dataKeys + c.indexKeys, 0);
    const again =
      plan.mode === 'catch-up'
        ? 'Run "nwd keys rotate" again to finish.'
        : source === 'file'
          ? `Run "nwd keys rotate" again: it resumes with the staged key in ${staged}. The key file still holds ${current.id}.`
          : `Run "nwd keys rotate" again with the same ${NEW_MASTER_KEY_ENV}. Keep ${MASTER_KEY_ENV} unchanged until it finishes.`;
    output.err(
      `Not finished: ${left === 1 ? '1 key remains' : `${left} keys remain`} not under master key ${next.id} (${describeCounts(result.remaining)}). ` +
        `They were locked by another transaction, or created meanwhile by an instance still using the old key. ${again}`,
    );
    return 1;
  }

  const fromText = plan.mode === 'catch-up' ? [...fromIds].join(',') : current.id;
  await db.transaction().execute((trx) =>
    recordAudit(trx, {
      actorKind: 'system',
      action: 'keys.rotate',
      details: { from: fromText, to: next.id, dataKeys: result.dataKeys, indexKeys: result.indexKeys },
    }),
  );
  const done = `${plural(result.dataKeys, 'data key')} and ${plural(result.indexKeys, 'index key')} re-wrapped`;

  if (plan.mode === 'catch-up') {
    output.out(
      [
        `Done: ${done}; no key remains under ${[...fromIds].join(', ')}. Every key is under the current master key ${next.id}.`,
        `The old key${fromIds.size === 1 ? '' : 's'} may leave the running configuration (${PREVIOUS_MASTER_KEYS_ENV}, ` +
          `${[...fromIds].map((id) => previousKeyFilePath(keyFile, id)).join(', ')}), but keep an archived copy as ` +
          `long as database backups taken before the rotation are kept: they can only be read with it.`,
      ].join('\n'),
    );
    return 0;
  }

  if (source === 'file') {
    promoteStagedKeyFile(keyFile, current.id, next.id);
    const old = previousKeyFilePath(keyFile, current.id);
    output.out(
      [
        `Master key rotated: ${done}; every key is now wrapped under ${next.id}.`,
        `The key file ${keyFile} now holds master key ${next.id}; the old key ${current.id} is kept in ${old} (mode 0600).`,
        '',
        'What to do now:',
        `  1. Back up ${keyFile} now, separately from the database backups: the database needs this key from now on.`,
        `  2. Restart every instance. Until then they wrap new data keys under ${current.id} (they read everything).`,
        `  3. After the restart, run "nwd keys status". If keys remain under ${current.id}, "nwd keys rotate"`,
        `     re-wraps them to ${next.id} without a new key.`,
        `  4. Keep ${old} and its backup as long as database backups taken before this rotation are kept:`,
        '     they can only be read with the old key.',
      ].join('\n'),
    );
    return 0;
  }

  output.out(
    [
      `Master key rotated: ${done}; every key is now wrapped under ${next.id} (from ${current.id}).`,
      '',
      'What to do now, in your secret store (keys are never printed):',
      `  1. Set ${MASTER_KEY_ENV} to the value of ${NEW_MASTER_KEY_ENV} (key id ${next.id}).`,
      `  2. Set ${PREVIOUS_MASTER_KEYS_ENV} to the old ${MASTER_KEY_ENV} value (key id ${current.id}), keeping any`,
      `     entries it holds, then remove ${NEW_MASTER_KEY_ENV}.`,
      '  3. Restart every instance.',
      `  4. Run "nwd keys status" with the new settings. If keys remain under ${current.id}, "nwd keys rotate"`,
      `     re-wraps them to ${next.id}.`,
      `  5. Archive the old key as long as database backups taken before this rotation are kept.`,
    ].join('\n'),
  );
  return 0;
}

function planRotation(
  settings: KeySettings,
  current: MasterKey,
  previous: readonly MasterKey[],
  counts: readonly WrappedKeyCount[],
): Plan {
  const env = settings.secrets.masterKeyEnv();
  const keyFile = settings.masterKeyFile;
  const fromEnv = env[MASTER_KEY_ENV] !== undefined;
  const requestedText = env[NEW_MASTER_KEY_ENV];
  const requested = requestedText ? parseMasterKey(requestedText, NEW_MASTER_KEY_ENV) : null;
  const staged = fromEnv ? [] : stagedKeyFiles(keyFile);
  if (staged.length > 1) {
    throw new KeysCommandError(
      `Several staged keys beside the key file (${staged.join(', ')}): an interrupted rotation left more than ` +
        `one. "nwd keys status" shows which key ids hold keys; keep the staged file of that id, move the others away.`,
    );
  }
  if (staged[0]) {
    const next = readMasterKeyFile(staged[0]);
    if (requested && requested.id !== next.id) {
      throw new KeysCommandError(
        `A rotation to master key ${next.id} is staged in ${staged[0]}, but ${NEW_MASTER_KEY_ENV} is ${requested.id}. ` +
          `Finish that rotation first (unset ${NEW_MASTER_KEY_ENV} and run "nwd keys rotate").`,
      );
    }
    return { mode: 'resume', next };
  }
  if (requested && requested.id !== current.id) return { mode: 'new', next: requested, stage: !fromEnv };
  const previousIds = new Set(previous.map((k) => k.id));
  if (requested || counts.some((c) => previousIds.has(c.masterKeyId)))
    return { mode: 'catch-up', next: current };
  if (fromEnv) {
    throw new KeysCommandError(
      `${MASTER_KEY_ENV} is set, so the new master key must come from your secret store: nwd would have to ` +
        `print a generated key, and keys are never printed. Generate one there (32 random bytes, base64), give it ` +
        `to this command as ${NEW_MASTER_KEY_ENV}, and to the running instances in ${PREVIOUS_MASTER_KEYS_ENV} first.`,
    );
  }
  if (!existsSync(keyFile)) throw new KeysCommandError(`The key file ${keyFile} does not exist.`);
  return { mode: 'new', next: generateMasterKey(), stage: true };
}

/**
 * `nwd keys status`: which master keys wrap how many keys, and whether each is loaded.
 *
 * @example
 * await keysStatusCommand(db, config, { out: console.log, err: console.error });
 */
export async function keysStatusCommand(
  db: AnyKysely,
  settings: KeySettings,
  output: CommandOutput,
): Promise<0 | 1> {
  const env = settings.secrets.masterKeyEnv();
  const keyFile = settings.masterKeyFile;
  const { key: current, source } = loadOrCreateMasterKey({ env, keyFile, allowCreate: false });
  const previous = loadPreviousMasterKeys({ env, keyFile }).filter((k) => k.id !== current.id);
  const staged = source === 'file' ? stagedKeyFiles(keyFile).map((f) => readMasterKeyFile(f)) : [];
  const role = new Map<string, string>([
    ...staged.map((k) => [k.id, 'staged by an unfinished rotation'] as const),
    ...previous.map((k) => [k.id, 'previous key (read only)'] as const),
    [current.id, `current key (${source === 'env' ? MASTER_KEY_ENV : keyFile})`],
  ]);
  const counts = await wrappedKeyCounts(db);
  output.out(`Current master key: ${current.id} (${source === 'env' ? MASTER_KEY_ENV : keyFile}).`);
  if (counts.length === 0) output.out('The database holds no wrapped keys yet.');
  let missing = false;
  for (const c of counts) {
    const what = role.get(c.masterKeyId);
    if (!what) missing = true;
    output.out(
      `  ${c.masterKeyId}: ${plural(c.dataKeys, 'data key')}, ${plural(c.indexKeys, 'index key')} — ${what ?? 'NOT LOADED: data under it cannot be read'}`,
    );
  }
  const unused = previous.filter((k) => !counts.some((c) => c.masterKeyId === k.id));
  for (const k of unused)
    output.out(`  ${k.id}: no key left under it — previous key, kept for older backups`);
  const behind = counts.filter((c) => c.masterKeyId !== current.id && role.has(c.masterKeyId));
  if (staged.length > 0) output.out('A rotation is unfinished: "nwd keys rotate" resumes it.');
  else if (behind.length > 0)
    output.out('Keys remain under previous master keys: "nwd keys rotate" re-wraps them to the current key.');
  if (missing) {
    output.err('Some keys are wrapped under a master key that is not loaded (see above).');
    return 1;
  }
  return 0;
}
