/**
 * Chats held while one of their messages backs off, in Redis beside the BullMQ partitions.
 *
 * A partition runs one job at a time, which gives every chat in it its order. A job that had to
 * wait inside that one slot (a 429 storm, a dead socket) used to stall every chat of the
 * partition for as long as it backed off. Instead, the job that must wait becomes the chat's
 * *head*: the chat is held, the head is moved to BullMQ's delayed set for its backoff, and any
 * later job of the same chat that the partition reaches meanwhile is *parked* — appended to the
 * chat's line here and set aside too — so the partition goes on with other chats. When the head
 * finally succeeds or gives up, the first parked job becomes the head and is put back in line;
 * the hold ends when the line is empty. So a chat's jobs still run one at a time in the order
 * they were added, and a backing-off chat delays only itself.
 *
 * Every decision about one chat is made by a job of its partition, and a partition runs one job
 * at a time across all processes, so these records need no locking of their own. The scripts
 * make each step atomic against a crash in the middle of it.
 */
import type { Redis } from 'ioredis';

/** A held chat: whose turn it is, and how many runs of that job have begun. */
export interface ChatHold {
  head: string;
  /** Runs of the head's handler begun (counted before each run, so a crash still counts). */
  tries: number;
}

export interface ChatHolds {
  get(key: string): Promise<ChatHold | undefined>;
  /** Holds `key` for `head`, which has begun `tries` runs (the first failure of a job). */
  hold(key: string, head: string, tries: number): Promise<void>;
  /** Counts one more run of the head as begun; returns the count, which is the attempt number. */
  beginTry(key: string): Promise<number>;
  /** Puts `id` at the end of the chat's line, unless it is in it already (a job rechecking). */
  park(key: string, id: string): Promise<void>;
  /**
   * Ends the head's turn: the first parked id becomes the head with no runs yet and is returned;
   * with nobody parked the hold ends and undefined is returned.
   */
  release(key: string): Promise<string | undefined>;
}

export interface ChatHoldsOptions {
  connection: Redis;
  /** Redis key prefix of the queues (KOMEK_QUEUE_PREFIX). */
  prefix: string;
  /** The partition's queue name; holds of different queues never meet. */
  queue: string;
}

// KEYS[1] lane, ARGV[1] job id. LPOS needs Redis 6.0.6, which BullMQ requires anyway.
const PARK = `
if redis.call('LPOS', KEYS[1], ARGV[1]) == false then redis.call('RPUSH', KEYS[1], ARGV[1]) end
return 0`;

// KEYS[1] hold, KEYS[2] lane.
const RELEASE = `
local nextId = redis.call('LPOP', KEYS[2])
if nextId then
  redis.call('HSET', KEYS[1], 'head', nextId, 'tries', 0)
  return nextId
end
redis.call('DEL', KEYS[1])
return false`;

/** The hold records of one partition queue. */
export function createChatHolds(opts: ChatHoldsOptions): ChatHolds {
  const redis = opts.connection;
  // Outside BullMQ's own `${prefix}:${queue}:…` keys, so no job id or BullMQ key can collide.
  const holdKey = (key: string) => `${opts.prefix}:chat-hold:${opts.queue}:${key}`;
  const laneKey = (key: string) => `${opts.prefix}:chat-lane:${opts.queue}:${key}`;

  return {
    async get(key) {
      const [head, tries] = await redis.hmget(holdKey(key), 'head', 'tries');
      return head ? { head, tries: Number(tries ?? 0) } : undefined;
    },
    async hold(key, head, tries) {
      await redis.hset(holdKey(key), 'head', head, 'tries', tries);
    },
    beginTry: (key) => redis.hincrby(holdKey(key), 'tries', 1),
    async park(key, id) {
      await redis.eval(PARK, 1, laneKey(key), id);
    },
    async release(key) {
      const next = (await redis.eval(RELEASE, 2, holdKey(key), laneKey(key))) as string | null;
      return next ?? undefined;
    },
  };
}
