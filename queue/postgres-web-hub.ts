/**
 * The web-chat hub across processes on Postgres alone: what redis-web-hub.ts does over pub/sub,
 * over LISTEN/NOTIFY. A reply published by any process reaches the process holding the
 * citizen's SSE connection; each process keeps its own small buffer per session for reconnects.
 *
 * A NOTIFY payload holds at most 8000 bytes, and a long answer with its buttons can exceed that:
 * such an event is written to `web_relay_events` and only its id is notified. Notifications are
 * handled one after another, so an event read back from the table is not overtaken by a small
 * one published after it.
 */
import type { Sql } from 'postgres';
import type { Logger } from '../core/ports.ts';
import type { LocalSessionHub, SessionHub } from './redis-web-hub.ts';

export interface PostgresWebHubOptions<In, Out> {
  /** The process's Postgres client; LISTEN takes a connection of its own from it. */
  sql: Sql;
  prefix: string;
  logger: Logger;
  local: LocalSessionHub<In, Out>;
  /** Payloads above this many bytes go through the table (tests lower it). */
  maxNotifyBytes?: number;
}

/** A large event's row is read by every process within moments; older ones are litter. */
const RELAY_ROW_TTL_SECONDS = 300;
const BY_ID = '@';

/** Wraps `opts.local` so that what any process publishes reaches every process's subscribers. */
export async function createPostgresWebHub<In, Out>(opts: PostgresWebHubOptions<In, Out>): Promise<SessionHub<In, Out>> {
  const { sql, local } = opts;
  const channel = `${opts.prefix}_web_chat`;
  const maxBytes = opts.maxNotifyBytes ?? 7_900;
  let chain = Promise.resolve();

  async function relay(payload: string): Promise<void> {
    let raw = payload;
    if (payload.startsWith(BY_ID)) {
      const [row] = await sql.unsafe<{ payload: string }[]>('select payload from web_relay_events where id = $1', [payload.slice(1)]);
      if (!row) throw new Error(`relayed web-chat event ${payload.slice(1)} is gone`);
      raw = row.payload;
    }
    const { session, event } = JSON.parse(raw) as { session: string; event: In };
    local.deliverLocal(session, event);
  }

  const listener = await sql.listen(channel, function relayWebEvent(payload: string) {
    chain = chain.then(() => relay(payload)).catch((err) => opts.logger.warn({ err: (err as Error).message }, 'could not relay a web-chat event'));
  });
  let closed: Promise<void> | undefined;
  return {
    async publish(session, event) {
      const payload = JSON.stringify({ session, event });
      if (Buffer.byteLength(payload) <= maxBytes) {
        await sql.unsafe('select pg_notify($1, $2)', [channel, payload]);
        return;
      }
      // The row and its notification commit together: a listener never hears of a row it cannot read.
      await sql.begin(async (tx) => {
        const [row] = await tx.unsafe<{ id: string }[]>('insert into web_relay_events (payload) values ($1) returning id', [payload]);
        await tx.unsafe('select pg_notify($1, $2)', [channel, `${BY_ID}${row!.id}`]);
        await tx.unsafe(`delete from web_relay_events where created_at < now() - $1 * interval '1 second'`, [RELAY_ROW_TTL_SECONDS]);
      });
    },
    subscribe: local.subscribe,
    close: () =>
      (closed ??= (async () => {
        await listener.unlisten().catch(() => {});
        await chain;
        await local.close();
      })()),
  };
}
