import { parseConfig } from '../../app/config.ts';
import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { CommandContext } from '../../app/command.ts';
import { operatorCommand } from '../../app/commands/operator.ts';
import type { AppServices } from '../../app/services.ts';
import { createOperatorAccounts } from '../../db/operator-accounts.ts';
import { memoryDatabase, type TestDatabase } from '../helpers/databases.ts';

function sink() {
  let text = '';
  const stream = new Writable({ write: (chunk, _enc, cb) => ((text += String(chunk)), cb()) });
  return { stream, text: () => text };
}

describe('komek operator', () => {
  let test: TestDatabase;
  before(async () => (test = await memoryDatabase()));
  after(() => test.drop());

  async function run(argv: string[], stdin = '') {
    const out = sink();
    const err = sink();
    const ctx: CommandContext = {
      argv,
      stdin: Readable.from([stdin]),
      stdout: out.stream,
      stderr: err.stream,
      config: () => parseConfig({}),
      services: async () => ({ database: test.database }) as unknown as AppServices,
    };
    const code = await operatorCommand.run(ctx);
    return { code, out: out.text(), err: err.text() };
  }

  it('adds an admin with the password from standard input, never printing it', async () => {
    const r = await run(['add', 'Aigerim', '--role', 'admin', '--name', 'Айгерім Б.'], 'a very long secret\nignored\n');
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.out + r.err, /secret/);
    const accounts = createOperatorAccounts(test.database.db);
    const account = await accounts.authenticate('aigerim', 'a very long secret');
    assert.equal(account?.role, 'admin');
    assert.equal(account?.displayName, 'Айгерім Б.');
    assert.match((await run(['list'])).out, /aigerim\tadmin\tactive\tАйгерім Б\./);
  });

  it('refuses a short password, a duplicate and a wrong role', async () => {
    assert.equal((await run(['add', 'short'], 'tiny\n')).code, 1);
    const dup = await run(['add', 'aigerim'], 'another long secret\n');
    assert.equal(dup.code, 1);
    assert.match(dup.err, /already exists/);
    await assert.rejects(run(['add', 'x1', '--role', 'root'], 'long enough pass\n'), /--role/);
  });

  it('changes a password and disables an account', async () => {
    assert.equal((await run(['passwd', 'aigerim'], 'the second secret\n')).code, 0);
    const accounts = createOperatorAccounts(test.database.db);
    assert.ok(await accounts.authenticate('aigerim', 'the second secret'));
    assert.equal((await run(['disable', 'aigerim'])).code, 0);
    assert.equal(await accounts.authenticate('aigerim', 'the second secret'), undefined);
    assert.equal((await run(['enable', 'nobody'])).code, 1);
  });
});
