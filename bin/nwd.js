#!/usr/bin/env node
// The `nwd` command. Loads the TypeScript sources through tsx so that no build step is needed.
import { setFlagsFromString } from 'node:v8';
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
// Loading and compiling every module keeps most of what it allocates, which would grow V8's young
// generation to its largest (about 30 MB, then held for good) before the first request. It keeps its
// first size while the command starts and may grow as usual once it runs (under load, where a young
// generation too small would move short-lived request data into the old one). Set after register(),
// whose loader thread resets V8's flags.
setFlagsFromString('--semi-space-growth-factor=1');
const { main } = await import('../src/main.ts');
await main(process.argv.slice(2));
setFlagsFromString('--semi-space-growth-factor=2');
