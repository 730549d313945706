import { Redis } from 'ioredis';

/** The Redis tests run against (PARLEY_TEST_REDIS_URL, default the local server). */
export const TEST_REDIS_URL = process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Whether a Redis server answers at `url` (tests that need one skip with a reason otherwise). */
export async function redisUp(url = TEST_REDIS_URL): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000, retryStrategy: () => null });
  const up = await probe.connect().then(
    () => true,
    () => false,
  );
  probe.disconnect();
  return up;
}
