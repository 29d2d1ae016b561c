/**
 * `komek jobs`: failed jobs of the shared queues (Redis or Postgres) — list them, put them back in line. Jobs fail
 * when they exhaust their tries (e.g. Telegram down for minutes) or fail permanently; they are
 * kept until retried.
 */
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { createQueues } from '../queues.ts';
import { queueBackendFor } from '../roles.ts';
import type { FailedJob, MessageQueue } from '../../core/ports.ts';

const USAGE = [
  'Usage: komek jobs failed [--queue inbound|outbound] [--limit N] [--json]',
  '       komek jobs retry (ID | --all) [--queue inbound|outbound]',
  '',
  'Needs REDIS_URL: the embedded in-process queue keeps failed jobs inside `komek start` and',
  'reports them in its log.',
].join('\n');

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  if (i === -1) return undefined;
  const value = argv[i + 1];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
  return value;
}

function describeJob(job: FailedJob): string {
  const data = job.data as { channel?: string; chatId?: string; text?: string };
  const when = job.failedAt?.toISOString() ?? '?';
  // Only the start of the text: enough to recognise the job, not a copy of the citizen's words.
  const text = (data.text ?? '').slice(0, 40).replace(/\s+/g, ' ');
  return `${when}  ${job.queue.padEnd(8)}  ${job.id}  ${data.channel ?? '?'}:${data.chatId ?? '?'}  "${text}"  ${job.reason}`;
}

export const jobsCommand: Command = {
  name: 'jobs',
  summary: 'list and retry failed queue jobs (needs REDIS_URL or DATABASE_URL)',
  usage: USAGE,
  async run(ctx) {
    const [sub, ...rest] = ctx.argv;
    if (sub !== 'failed' && sub !== 'retry') throw new UsageError('expected "failed" or "retry"');
    const which = option(rest, '--queue');
    if (which !== undefined && which !== 'inbound' && which !== 'outbound') throw new UsageError('--queue must be inbound or outbound');
    const services = await ctx.services({ noDemo: true });
    const { config, logger } = services;
    // The queue the workers share (the rule of app/roles.ts for a worker).
    const backend = queueBackendFor('worker', config);
    if (backend === 'memory') {
      ctx.stderr.write('komek jobs: neither REDIS_URL nor DATABASE_URL is set; the in-process queue of `komek start` logs its failed jobs instead\n');
      return 1;
    }
    const queues = createQueues(config, { backend, redis: services.redis, sql: services.database.sql, logger });
    try {
      const chosen: MessageQueue<unknown>[] = [queues.inbound, queues.outbound].filter((q) => !which || q.name === which);
      if (sub === 'failed') {
        const limit = Number(option(rest, '--limit') ?? '100');
        if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive integer');
        const jobs = (await Promise.all(chosen.map((q) => q.failed({ limit })))).flat();
        if (rest.includes('--json')) ctx.stdout.write(`${JSON.stringify(jobs, null, 2)}\n`);
        else if (jobs.length === 0) ctx.stdout.write('No failed jobs.\n');
        else ctx.stdout.write(`${jobs.map(describeJob).join('\n')}\n${jobs.length} failed job(s).\n`);
        return 0;
      }
      const all = rest.includes('--all');
      const id = rest.find((a) => !a.startsWith('--') && a !== which);
      if (all === (id !== undefined)) throw new UsageError('give one job ID or --all');
      let n = 0;
      for (const q of chosen) n += await q.retry(all ? undefined : id);
      ctx.stdout.write(`${n} job(s) put back in the queue.\n`);
      return id !== undefined && n === 0 ? 1 : 0;
    } finally {
      await queues.close();
    }
  },
};
