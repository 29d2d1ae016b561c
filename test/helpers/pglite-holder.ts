/**
 * A process that opens an embedded database folder and keeps it open until its standard input
 * ends: the "other process" of the data-folder lock tests. Prints `open` once it holds the folder,
 * or `refused: <message>` when it cannot.
 */
import { openDatabase } from '../../db/client.ts';
import { DataFolderLockedError } from '../../db/data-folder-lock.ts';

const dir = process.argv[2]!;
try {
  const database = await openDatabase({ kind: 'pglite', dataDir: dir });
  await database.migrate();
  process.stdout.write('open\n');
  process.stdin.resume();
  process.stdin.on('end', async () => {
    await database.close();
    process.exit(0);
  });
} catch (err) {
  if (!(err instanceof DataFolderLockedError)) throw err;
  process.stdout.write(`refused: ${err.message.replace(/\n/g, ' ')}\n`);
  process.exit(75);
}
