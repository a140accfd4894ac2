import { eq, sql } from "drizzle-orm";
import { db } from "#db/client";
import { rateLimitBuckets } from "#db/schema";

export type RateLimit = { limit: number; windowMs: number };

export const signInLimits = {
  perAccount: { limit: 5, windowMs: 15 * 60_000 },
  perAddress: { limit: 50, windowMs: 15 * 60_000 },
} satisfies Record<string, RateLimit>;

export const passwordResetLimits = {
  perAccount: { limit: 3, windowMs: 60 * 60_000 },
  perAddress: { limit: 20, windowMs: 60 * 60_000 },
} satisfies Record<string, RateLimit>;

/** How many hits the current window of `key` holds (0 when it has run out). */
export function hitsInWindow(key: string, { windowMs }: RateLimit, now = Date.now()): number {
  const row = db
    .select()
    .from(rateLimitBuckets)
    .where(eq(rateLimitBuckets.key, key))
    .get();
  if (!row || row.windowStartedAt + windowMs <= now) return 0;
  return row.count;
}

export function isLimited(key: string, rule: RateLimit, now = Date.now()): boolean {
  return hitsInWindow(key, rule, now) >= rule.limit;
}

/** Counts one hit against `key` in a single statement, starting a new window when the old one ended. */
export function recordHit(key: string, { windowMs }: RateLimit, now = Date.now()) {
  db.insert(rateLimitBuckets)
    .values({ key, windowStartedAt: now, count: 1 })
    .onConflictDoUpdate({
      target: rateLimitBuckets.key,
      set: {
        count: sql`CASE WHEN ${rateLimitBuckets.windowStartedAt} + ${windowMs} <= ${now} THEN 1 ELSE ${rateLimitBuckets.count} + 1 END`,
        windowStartedAt: sql`CASE WHEN ${rateLimitBuckets.windowStartedAt} + ${windowMs} <= ${now} THEN ${now} ELSE ${rateLimitBuckets.windowStartedAt} END`,
      },
    })
    .run();
}

export function clearHits(key: string) {
  db.delete(rateLimitBuckets)
    .where(eq(rateLimitBuckets.key, key))
    .run();
}
