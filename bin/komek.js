#!/usr/bin/env node
// The executable is plain JavaScript so that `npx komek` works from a checkout without a build
// step: tsx's loader is registered here, then the TypeScript CLI runs as it is.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../app/cli.ts');
process.exitCode = await main(process.argv.slice(2));
