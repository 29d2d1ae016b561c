// Applied after every install (package.json "postinstall"): guards the `postgres` driver
// (3.4.9) against a known upstream defect — a small write deferred with setImmediate runs after
// the connection closed and calls `socket.write` on null, an uncatchable TypeError that takes
// the whole process down (porsager/postgres issues #1066, #1154, #1208; fix proposed in
// PRs #1168, #1176, #1209, not released). Kömek's Postgres-outage fault test hits it.
// The guard settles the pending queries with CONNECTION_CLOSED instead (the caller retries),
// and teardown forgets the cancelled timer and buffer so a reused connection can write again.
// Idempotent; if the driver's code changed (a fixed release), it reports and leaves it alone.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const MARK = '/* komek: null-socket guard */';
const require = createRequire(import.meta.url);

let root;
try {
  // The package's "exports" hide package.json; walk up from its entry point instead.
  root = path.dirname(require.resolve('postgres'));
  while (!existsSync(path.join(root, 'package.json')) || JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).name !== 'postgres') {
    const up = path.dirname(root);
    if (up === root) throw new Error('postgres package root not found');
    root = up;
  }
} catch {
  process.exit(0); // not installed: nothing to do
}

const replacements = [
  [
    '  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)',
    `  function nextWrite(fn) {\n    ${MARK}\n    if (socket === null) {\n      nextWriteTimer = chunk = null\n      error(Errors.connection('CONNECTION_CLOSED', options))\n      return false\n    }\n    const x = socket.write(chunk, fn)`,
  ],
  ['    clearImmediate(nextWriteTimer)\n    if (socket) {', '    clearImmediate(nextWriteTimer)\n    nextWriteTimer = chunk = null\n    if (socket) {'],
  ['    clearImmediate(nextWriteTimer)\n    socket.removeListener', '    clearImmediate(nextWriteTimer)\n    nextWriteTimer = chunk = null\n    socket.removeListener'],
];

for (const rel of ['src/connection.js', 'cjs/src/connection.js']) {
  const file = path.join(root, rel);
  if (!existsSync(file)) continue;
  let text = readFileSync(file, 'utf8');
  if (text.includes(MARK)) continue;
  const missing = replacements.filter(([from]) => !text.includes(from));
  if (missing.length > 0) {
    console.warn(`komek: postgres driver ${rel} differs from 3.4.9; null-socket guard not applied (check whether the release fixed it)`);
    continue;
  }
  for (const [from, to] of replacements) text = text.replace(from, to);
  writeFileSync(file, text);
  console.log(`komek: applied the null-socket guard to postgres/${rel}`);
}
