import { eq, sql } from "drizzle-orm";
import { db } from "#db/client";
import { rateLimitBuckets } from "#db/schema";
import { sha256Hex } from "~/utils/crypto.server";

export type RateLimit = { limit: number; windowMs: number };

/** Throttling, not lockout: the numbers are explained in docs/decisions/011-sign-in-throttling.md. */
export const signInLimits = {
  perAccountFromAddress: { limit: 5, windowMs: 15 * 60_000 },
  perAddress: { limit: 50, windowMs: 15 * 60_000 },
  perAccount: { limit: 100, windowMs: 15 * 60_000 },
} satisfies Record<string, RateLimit>;

/** How long an address stays known to an account after the last successful sign-in from it. */
const knownClientMs = 90 * 24 * 60 * 60_000;

export const passwordResetLimits = {
  perAccount: { limit: 3, windowMs: 60 * 60_000 },
  perAddress: { limit: 20, windowMs: 60 * 60_000 },
} satisfies Record<string, RateLimit>;

function bucket(key: string) {
  return db.select().from(rateLimitBuckets).where(eq(rateLimitBuckets.key, key)).get();
}

/** When the current window of `key` ends if it is full, or null when another hit is allowed. */
function limitedUntil(key: string, { limit, windowMs }: RateLimit, now = Date.now()): number | null {
  const row = bucket(key);
  if (!row || row.windowStartedAt + windowMs <= now || row.count < limit) return null;
  return row.windowStartedAt + windowMs;
}

export function isLimited(key: string, rule: RateLimit, now = Date.now()): boolean {
  return limitedUntil(key, rule, now) !== null;
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
  db.delete(rateLimitBuckets).where(eq(rateLimitBuckets.key, key)).run();
}

/**
 * The throttle on password guessing for one normalized e-mail tried from one client address. Keys
 * hold the e-mail only as a hash, whether or not an account uses it.
 */
export function signInThrottle(email: string, address: string | null, now = Date.now()) {
  const accountFromAddress = sha256Hex(`${email}\n${address ?? "unknown"}`);
  const keys = {
    perAccountFromAddress: `sign-in:account-address:${accountFromAddress}`,
    perAddress: `sign-in:address:${address ?? "unknown"}`,
    perAccount: `sign-in:account:${sha256Hex(email)}`,
  } satisfies Record<keyof typeof signInLimits, string>;
  // The marker's window starts at the last successful sign-in from this address.
  const knownClientKey = `sign-in:known-client:${accountFromAddress}`;
  const isKnownClient = () => {
    const marker = bucket(knownClientKey);
    return marker !== undefined && marker.windowStartedAt + knownClientMs > now;
  };

  return {
    /** Seconds until this address may try this e-mail again, rounded up; 0 when it may now. */
    retryAfterSeconds(): number {
      const ends = [
        limitedUntil(keys.perAccountFromAddress, signInLimits.perAccountFromAddress, now),
        limitedUntil(keys.perAddress, signInLimits.perAddress, now),
        // A distributed guess can fill the account's ceiling; the owner's usual addresses must still get in.
        isKnownClient() ? null : limitedUntil(keys.perAccount, signInLimits.perAccount, now),
      ];
      const latest = Math.max(now, ...ends.map((end) => end ?? now));
      return Math.ceil((latest - now) / 1000);
    },
    recordFailure() {
      recordHit(keys.perAccountFromAddress, signInLimits.perAccountFromAddress, now);
      recordHit(keys.perAddress, signInLimits.perAddress, now);
      recordHit(keys.perAccount, signInLimits.perAccount, now);
    },
    recordSuccess() {
      clearHits(keys.perAccountFromAddress);
      // Without an address every such client would share one marker, and all of them would pass the ceiling.
      if (address === null) return;
      db.insert(rateLimitBuckets)
        .values({ key: knownClientKey, windowStartedAt: now, count: 1 })
        .onConflictDoUpdate({ target: rateLimitBuckets.key, set: { windowStartedAt: now } })
        .run();
    },
  };
}
