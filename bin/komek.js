#!/usr/bin/env node
// The executable is plain JavaScript so that `npx komek` works from a checkout without a build
// step: bin/compiled.js compiles the TypeScript once into a cache (again when a source changes)
// and the CLI runs from there, with no compiler loaded in the process.
import { importCompiled } from './compiled.js';

const { main } = await importCompiled('app/cli.ts');
process.exitCode = await main(process.argv.slice(2));
