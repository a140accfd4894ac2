import { and, eq, gt, isNull } from "drizzle-orm";
import type { DB } from "#db/client";
import { accountTokens } from "#db/schema";
import { type TokenPurpose } from "~/vocabulary";
import { newId, randomToken, sha256Hex } from "~/utils/crypto.server";

type Executor = Pick<DB, "insert" | "update" | "select" | "delete">;

export const tokenLifetimesMs: Record<TokenPurpose, number> = {
  activation: 7 * 24 * 3_600_000,
  password_reset: 3_600_000,
};

/** Issues a new single-use link token; any earlier unused token of the same purpose dies with it. */
export function issueToken(tx: Executor, personId: string, purpose: TokenPurpose, now = Date.now()): string {
  const token = randomToken();
  tx.update(accountTokens)
    .set({ usedAt: new Date(now) })
    .where(and(eq(accountTokens.personId, personId), eq(accountTokens.purpose, purpose), isNull(accountTokens.usedAt)))
    .run();
  tx.insert(accountTokens)
    .values({
      id: newId(),
      personId,
      purpose,
      tokenHash: sha256Hex(token),
      expiresAt: new Date(now + tokenLifetimesMs[purpose]),
    })
    .run();
  return token;
}

export type TokenState = { state: "valid"; personId: string } | { state: "used" | "expired" | "invalid" };

/** What a link's token is worth, without using it up (for the page that asks for a new password). */
export function inspectToken(tx: Executor, token: string, purpose: TokenPurpose, now = Date.now()): TokenState {
  if (!token) return { state: "invalid" };
  const row = tx
    .select()
    .from(accountTokens)
    .where(and(eq(accountTokens.tokenHash, sha256Hex(token)), eq(accountTokens.purpose, purpose)))
    .get();
  if (!row) return { state: "invalid" };
  if (row.usedAt) return { state: "used" };
  if (row.expiresAt.getTime() <= now) return { state: "expired" };
  return { state: "valid", personId: row.personId };
}

/** Uses a token up in one statement, so two concurrent requests cannot both succeed. */
export function consumeToken(tx: Executor, token: string, purpose: TokenPurpose, now = Date.now()): string | null {
  const [row] = tx
    .update(accountTokens)
    .set({ usedAt: new Date(now) })
    .where(
      and(
        eq(accountTokens.tokenHash, sha256Hex(token)),
        eq(accountTokens.purpose, purpose),
        isNull(accountTokens.usedAt),
        gt(accountTokens.expiresAt, new Date(now)),
      ),
    )
    .returning({ personId: accountTokens.personId })
    .all();
  return row?.personId ?? null;
}
