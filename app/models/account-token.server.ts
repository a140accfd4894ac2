import { and, eq, gt, isNull } from "drizzle-orm";
import type { Database } from "#db/database";
import { accountTokens } from "#db/schema";
import { type TokenPurpose } from "~/vocabulary";
import { newId, randomToken, sha256Hex } from "~/utils/crypto.server";

export const tokenLifetimesMs: Record<TokenPurpose, number> = {
  activation: 7 * 24 * 3_600_000,
  password_reset: 3_600_000,
};

/** Issues a new single-use link token; any earlier unused token of the same purpose dies with it. */
export async function issueToken(tx: Database, personId: string, purpose: TokenPurpose, now = Date.now()): Promise<string> {
  const token = randomToken();
  await tx
    .update(accountTokens)
    .set({ usedAt: new Date(now) })
    .where(and(eq(accountTokens.personId, personId), eq(accountTokens.purpose, purpose), isNull(accountTokens.usedAt)));
  await tx.insert(accountTokens).values({
    id: newId(),
    personId,
    purpose,
    tokenHash: sha256Hex(token),
    expiresAt: new Date(now + tokenLifetimesMs[purpose]),
  });
  return token;
}

export type TokenState = { state: "valid"; personId: string } | { state: "used" | "expired" | "invalid" };

/** What a link's token is worth, without using it up (for the page that asks for a new password). */
export async function inspectToken(db: Database, token: string, purpose: TokenPurpose, now = Date.now()): Promise<TokenState> {
  if (!token) return { state: "invalid" };
  const row = await db
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
export async function consumeToken(db: Database, token: string, purpose: TokenPurpose, now = Date.now()): Promise<string | null> {
  const [row] = await db
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
    .returning({ personId: accountTokens.personId });
  return row?.personId ?? null;
}
