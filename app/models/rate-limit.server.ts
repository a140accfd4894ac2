import { and, eq, gt, lte, sql } from "drizzle-orm";
import type { Database } from "#db/database";
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

async function bucket(db: Database, key: string) {
  return db.select().from(rateLimitBuckets).where(eq(rateLimitBuckets.key, key)).get();
}

/** When the current window of `key` ends if it is full, or null when another hit is allowed. */
async function limitedUntil(db: Database, key: string, { limit, windowMs }: RateLimit, now = Date.now()): Promise<number | null> {
  const row = await bucket(db, key);
  if (!row || row.windowStartedAt + windowMs <= now || row.count < limit) return null;
  return row.windowStartedAt + windowMs;
}

/**
 * Whether `key` is full. A check followed by `recordHit` lets two requests at once both pass the last
 * free hit unless both run in one transaction: `hitUnlessLimited` does the two together.
 */
export async function isLimited(db: Database, key: string, rule: RateLimit, now = Date.now()): Promise<boolean> {
  return (await limitedUntil(db, key, rule, now)) !== null;
}

/**
 * Counts one hit against `key` in a single statement, starting a new window when the old one ended.
 * Returns when the window the hit was counted in started.
 */
export async function recordHit(db: Database, key: string, { windowMs }: RateLimit, now = Date.now()): Promise<number> {
  const [row] = await db
    .insert(rateLimitBuckets)
    .values({ key, windowStartedAt: now, count: 1 })
    .onConflictDoUpdate({
      target: rateLimitBuckets.key,
      set: {
        count: sql`CASE WHEN ${rateLimitBuckets.windowStartedAt} + ${windowMs} <= ${now} THEN 1 ELSE ${rateLimitBuckets.count} + 1 END`,
        windowStartedAt: sql`CASE WHEN ${rateLimitBuckets.windowStartedAt} + ${windowMs} <= ${now} THEN ${now} ELSE ${rateLimitBuckets.windowStartedAt} END`,
      },
    })
    .returning({ windowStartedAt: rateLimitBuckets.windowStartedAt });
  return row!.windowStartedAt;
}

/**
 * Takes back a hit counted in the window that started at `windowStartedAt`; nothing once a new window began.
 * A window left without hits goes too, so that the next failure opens its own full window, as if the hit had never counted.
 */
async function takeBackHit(db: Database, key: string, windowStartedAt: number) {
  const sameWindow = and(eq(rateLimitBuckets.key, key), eq(rateLimitBuckets.windowStartedAt, windowStartedAt));
  await db
    .update(rateLimitBuckets)
    .set({ count: sql`${rateLimitBuckets.count} - 1` })
    .where(and(sameWindow, gt(rateLimitBuckets.count, 0)));
  await db.delete(rateLimitBuckets).where(and(sameWindow, lte(rateLimitBuckets.count, 0)));
}

/**
 * Counts one hit against every key, unless any of them is full: then it counts none and answers false.
 * The check and the count run in one transaction, so two requests at once cannot both take the last free hit.
 */
export async function hitUnlessLimited(
  db: Database,
  hits: { key: string; rule: RateLimit }[],
  now = Date.now(),
): Promise<boolean> {
  return db.transaction(async (tx) => {
    for (const { key, rule } of hits) if (await isLimited(tx, key, rule, now)) return false;
    for (const { key, rule } of hits) await recordHit(tx, key, rule, now);
    return true;
  });
}

export async function clearHits(db: Database, key: string) {
  await db.delete(rateLimitBuckets).where(eq(rateLimitBuckets.key, key));
}

/**
 * The throttle on password guessing for one normalized e-mail tried from one client address. Keys
 * hold the e-mail only as a hash, whether or not an account uses it.
 */
export function signInThrottle(db: Database, email: string, address: string | null, now = Date.now()) {
  const accountFromAddress = sha256Hex(`${email}\n${address ?? "unknown"}`);
  const keys = {
    perAccountFromAddress: `sign-in:account-address:${accountFromAddress}`,
    perAddress: `sign-in:address:${address ?? "unknown"}`,
    perAccount: `sign-in:account:${sha256Hex(email)}`,
  } satisfies Record<keyof typeof signInLimits, string>;
  // The marker's window starts at the last successful sign-in from this address.
  const knownClientKey = `sign-in:known-client:${accountFromAddress}`;
  const isKnownClient = async (tx: Database) => {
    const marker = await bucket(tx, knownClientKey);
    return marker !== undefined && marker.windowStartedAt + knownClientMs > now;
  };
  /** The windows in which `attempt` counted this attempt against the address and the account. */
  let counted: { perAddress: number; perAccount: number } | undefined;

  return {
    /**
     * Seconds until this address may try this e-mail again, rounded up, and nothing is counted; or 0,
     * and this attempt is counted as a failure in every bucket until `recordSuccess` says otherwise.
     * The check and the count run in one transaction, before the password is checked, so that guesses
     * sent at once cannot all pass a bucket that has one attempt left.
     */
    async attempt(): Promise<number> {
      return db.transaction(async (tx) => {
        const ends = [
          await limitedUntil(tx, keys.perAccountFromAddress, signInLimits.perAccountFromAddress, now),
          await limitedUntil(tx, keys.perAddress, signInLimits.perAddress, now),
          // A distributed guess can fill the account's ceiling; the owner's usual addresses must still get in.
          (await isKnownClient(tx)) ? null : await limitedUntil(tx, keys.perAccount, signInLimits.perAccount, now),
        ];
        const latest = Math.max(now, ...ends.map((end) => end ?? now));
        if (latest > now) return Math.ceil((latest - now) / 1000);
        await recordHit(tx, keys.perAccountFromAddress, signInLimits.perAccountFromAddress, now);
        counted = {
          perAddress: await recordHit(tx, keys.perAddress, signInLimits.perAddress, now),
          perAccount: await recordHit(tx, keys.perAccount, signInLimits.perAccount, now),
        };
        return 0;
      });
    },
    async recordSuccess() {
      await clearHits(db, keys.perAccountFromAddress);
      // Only failures count: the attempt is taken back from the address's and the account's windows.
      if (counted) {
        await takeBackHit(db, keys.perAddress, counted.perAddress);
        await takeBackHit(db, keys.perAccount, counted.perAccount);
      }
      // Without an address every such client would share one marker, and all of them would pass the ceiling.
      if (address === null) return;
      await db
        .insert(rateLimitBuckets)
        .values({ key: knownClientKey, windowStartedAt: now, count: 1 })
        .onConflictDoUpdate({ target: rateLimitBuckets.key, set: { windowStartedAt: now } });
    },
  };
}
