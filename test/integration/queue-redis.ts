/**
 * Redis for queue tests: whether it answers (under CI=true it must) and removal of a test's
 * keys by prefix.
 */
import { Redis } from 'ioredis';

export const REDIS_TEST_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

export async function redisAvailable(url = REDIS_TEST_URL): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch (err) {
    if (process.env.CI === 'true') throw new Error(`CI=true but Redis at ${url} is unreachable: ${(err as Error).message}`);
    return false;
  } finally {
    probe.disconnect();
  }
}

/** Deletes every key under `prefix`. */
export async function dropPrefix(prefix: string, url = REDIS_TEST_URL): Promise<void> {
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
