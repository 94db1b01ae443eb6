#!/usr/bin/env node
// The `nwd` command. Loads the TypeScript sources through tsx so that no build step is needed.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const { main } = await import('../src/main.ts');
await main(process.argv.slice(2));
