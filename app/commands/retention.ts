/**
 * `komek retention --days N [--anonymise] [--dry-run]`.
 */
import { parseArgs } from 'node:util';
import { applyRetention } from '../../db/retention.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';

const USAGE = `Usage: komek retention --days N [--anonymise] [--dry-run]

Deletes conversations (with their messages, feedback and ratings) whose last activity is older
than N days; with --anonymise, keeps them for statistics but removes texts and platform ids.
Conversations waiting for or with an operator are never touched.
--dry-run reports what would be done and changes nothing.`;

export const retentionCommand: Command = {
  name: 'retention',
  summary: 'delete or anonymise conversations older than N days',
  usage: USAGE,
  async run(ctx) {
    const { values } = parseArgs({
      args: ctx.argv,
      options: { days: { type: 'string' }, anonymise: { type: 'boolean' }, anonymize: { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
    });
    const days = Number(values.days);
    if (!values.days || !Number.isInteger(days) || days < 1) throw new UsageError('--days must be a whole number of days, at least 1');
    const services = await ctx.services({ noDemo: true });
    const report = await applyRetention(services.database.db, {
      before: new Date(Date.now() - days * 86_400_000),
      mode: values.anonymise || values.anonymize ? 'anonymise' : 'delete',
      dryRun: Boolean(values['dry-run']),
    });
    const verb = report.mode === 'delete' ? 'delete' : 'anonymise';
    ctx.stdout.write(
      `${report.dryRun ? `would ${verb}` : `${verb}d`}: ${report.conversations} conversation(s), ${report.messages} message(s) older than ${days} day(s); ${report.dedupeMarks} dedupe and delivery mark(s) and ${report.loginFailures} login failure record(s) ${report.dryRun ? 'would be ' : ''}removed\n`,
    );
    return 0;
  },
};
