/**
 * Redis for queue tests: whether it answers (under CI=true it must) and removal of a test's
 * keys by prefix.
 */
import { Redis } from 'ioredis';
import { dropPrefix as dropKeys } from '../../bench/queue-baseline.ts';

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

/** Deletes every key under `prefix` (the benchmark's helper, with the tests' Redis by default). */
export function dropPrefix(prefix: string, url = REDIS_TEST_URL): Promise<void> {
  return dropKeys(url, prefix);
}
