/**
 * Configuration from the environment, validated once at start. Anything wrong stops the process with
 * a message naming the variable, rather than failing later in a request.
 */
import { resolve } from 'node:path';
import { z } from 'zod';

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// connection URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  NWD_DATA_DIR: z.string().min(1).default('./data'),
  NWD_PACK: z.string().min(1).default('./data/mn'),
  NWD_QUICK_EXIT_URL: z.string().url().default('https://www.weather.gov/'),
  NWD_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().default('development'),
});

export interface Config {
  port: number;
  host: string;
  /** Null means: run the bundled PostgreSQL under `dataDir`. */
  databaseUrl: string | null;
  dataDir: string;
  packDir: string;
  quickExitUrl: string;
  dbPoolSize: number;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  production: boolean;
}

export class ConfigError extends Error {}

/**
 * @example
 * loadConfig({ PORT: '8080' }).port // 8080
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Configuration is not valid:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL ?? null,
    dataDir: resolve(e.NWD_DATA_DIR),
    packDir: resolve(e.NWD_PACK),
    quickExitUrl: e.NWD_QUICK_EXIT_URL,
    dbPoolSize: e.NWD_DB_POOL_SIZE,
    logLevel: e.LOG_LEVEL,
    production: e.NODE_ENV === 'production',
  };
}
