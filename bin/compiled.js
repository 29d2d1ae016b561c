// Kömek's TypeScript, run with no build step for the user and no compiler in the running process.
//
// Loading the sources through tsx's loader cost every process about 35 MB resident (a loader
// thread with its own V8 heap, source maps kept for every module) — an eighth of a `komek worker`.
// Instead the sources are bundled once with esbuild (which tsx already brings) into a cache, and
// later starts import that JavaScript directly; a changed source file rebuilds it. When the cache
// cannot be written (a read-only install), the sources run through tsx as before.
//
// Plain JavaScript, like bin/komek.js, because it runs before anything can compile TypeScript.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Every file that is started as a program of its own. One build for all of them, so that modules
 * they share are shared chunks, loaded once.
 */
export const ENTRIES = ['app/cli.ts', 'bench/worker-memory-probe.ts'];

// Keyed by the checkout's path: several checkouts may share one node_modules.
const CACHE = path.join(ROOT, 'node_modules', '.cache', `komek-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}`);
const CURRENT = path.join(CACHE, 'current.json');
/** Builds no process can still be loading chunks from. */
const STALE_BUILD_MS = 7 * 24 * 3600 * 1000;

/**
 * Imports entry `entry` (one of {@link ENTRIES}, a path from the checkout's root) and returns its
 * module, compiled from the current sources.
 * @param {string} entry
 * @returns {Promise<any>}
 */
export async function importCompiled(entry) {
  if (!ENTRIES.includes(entry)) throw new Error(`${entry} is not one of the compiled entries (${ENTRIES.join(', ')})`);
  let build;
  try {
    build = currentBuild() ?? (await compile());
  } catch (err) {
    process.stderr.write(`komek: could not compile the sources into ${CACHE} (${/** @type {Error} */ (err).message}); running them through tsx\n`);
    const { register } = await import('tsx/esm/api');
    register();
    return import(pathToFileURL(path.join(ROOT, entry)).href);
  }
  return import(pathToFileURL(path.join(CACHE, build.id, entry.replace(/\.ts$/, '.js'))).href);
}

/** @typedef {{ id: string; esbuild: string; entries: string[]; inputs: Record<string, string> }} Build */

/**
 * The build whose recorded inputs all still have their size and modification time; else none.
 * @returns {Build | undefined}
 */
function currentBuild() {
  /** @type {Build} */
  let current;
  try {
    current = JSON.parse(readFileSync(CURRENT, 'utf8'));
  } catch {
    return undefined;
  }
  if (current.esbuild !== esbuildVersion() || String(current.entries) !== String(ENTRIES)) return undefined;
  for (const [file, stamp] of Object.entries(current.inputs)) {
    try {
      if (stampOf(path.join(ROOT, file)) !== stamp) return undefined;
    } catch {
      return undefined;
    }
  }
  return current;
}

/** @param {string} file */
function stampOf(file) {
  const s = statSync(file);
  return `${s.size}:${s.mtimeMs}`;
}

function esbuildRequire() {
  // esbuild comes with tsx; resolved from tsx's own folder so that hoisting does not matter.
  return createRequire(createRequire(import.meta.url).resolve('tsx/package.json'));
}

function esbuildVersion() {
  return esbuildRequire()('esbuild/package.json').version;
}

/**
 * Bundles the entries into a fresh folder, then names it by its inputs and points current.json
 * at it. Processes starting at the same moment may each build; the renames make the last one win
 * without any of them reading a half-written folder.
 */
/** @returns {Promise<Build>} */
async function compile() {
  const esbuild = esbuildRequire()('esbuild');
  mkdirSync(CACHE, { recursive: true });
  const tmp = path.join(CACHE, `tmp-${process.pid}-${Date.now()}`);
  try {
    const result = await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: ENTRIES,
      outbase: ROOT,
      outdir: tmp,
      chunkNames: 'chunks/[name]-[hash]',
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: `node${process.versions.node.split('.')[0]}`,
      packages: 'external',
      // Linked maps: NODE_OPTIONS=--enable-source-maps gives stack traces in the sources.
      sourcemap: 'linked',
      metafile: true,
      logLevel: 'silent',
      plugins: [keepImportMetaUrl],
    });
    /** @type {Record<string, string>} */
    const inputs = {};
    for (const file of Object.keys(result.metafile.inputs)) inputs[file] = stampOf(path.join(ROOT, file));
    const id = createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 16);
    const dir = path.join(CACHE, id);
    try {
      renameSync(tmp, dir);
    } catch {
      // Another process built the same sources first: its folder is as good.
      rmSync(tmp, { recursive: true, force: true });
    }
    const build = { id, esbuild: esbuildVersion(), entries: ENTRIES, inputs };
    const pointer = `${CURRENT}.${process.pid}`;
    writeFileSync(pointer, JSON.stringify(build));
    renameSync(pointer, CURRENT);
    removeStaleBuilds(id);
    return build;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** @param {string} keep */
function removeStaleBuilds(keep) {
  for (const name of readdirSync(CACHE)) {
    const dir = path.join(CACHE, name);
    if (name === keep || name === 'current.json') continue;
    try {
      if (Date.now() - statSync(dir).mtimeMs > STALE_BUILD_MS) rmSync(dir, { recursive: true, force: true });
    } catch {
      // Another process removed it first.
    }
  }
}

/**
 * Modules find their data next to themselves (the corpus, the demo knowledge base, migrations,
 * the console's files) through `import.meta.url`; in a bundle that would name the bundle, so each
 * source file keeps its own URL.
 */
/** @type {import('esbuild').Plugin} */
const keepImportMetaUrl = {
  name: 'keep-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = readFileSync(args.path, 'utf8');
      return { contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
    });
  },
};
