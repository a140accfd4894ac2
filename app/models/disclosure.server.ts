import { and, desc, eq, lt, or } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Database } from "#db/database";
import { circleLinks, consents, disclosureLog, memberships } from "#db/schema";

export const disclosurePageSize = 25;

const supporter = alias(memberships, "supporter");

function logQuery(db: Database) {
  return db
    .select({
      id: disclosureLog.id,
      kind: disclosureLog.kind,
      category: disclosureLog.category,
      itemType: disclosureLog.itemType,
      itemId: disclosureLog.itemId,
      detail: disclosureLog.detail,
      occurredAt: disclosureLog.occurredAt,
      count: disclosureLog.count,
      lastOccurredAt: disclosureLog.lastOccurredAt,
      consentVersion: consents.version,
      recipientName: consents.recipientName,
      supporterName: supporter.name,
      relationship: circleLinks.relationship,
    })
    .from(disclosureLog)
    .innerJoin(consents, eq(consents.id, disclosureLog.consentId))
    .innerJoin(circleLinks, eq(circleLinks.id, disclosureLog.linkId))
    .leftJoin(supporter, eq(supporter.id, circleLinks.supporterId))
    .$dynamic();
}

export type DisclosureEntry = Awaited<ReturnType<ReturnType<typeof logQuery>["all"]>>[number];

export type LogCursor = { at: number; id: number };

/** "Who has seen my information": disclosures and consent changes, newest first, a page at a time. */
export async function disclosurePage(db: Database, patientId: string, before?: LogCursor) {
  const rows = await logQuery(db)
    .where(
      and(
        eq(disclosureLog.patientId, patientId),
        before
          ? or(
              lt(disclosureLog.occurredAt, new Date(before.at)),
              and(eq(disclosureLog.occurredAt, new Date(before.at)), lt(disclosureLog.id, before.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(disclosureLog.occurredAt), desc(disclosureLog.id))
    .limit(disclosurePageSize + 1);
  const entries = rows.slice(0, disclosurePageSize);
  const last = entries.at(-1);
  return {
    entries,
    next: rows.length > disclosurePageSize && last ? { at: last.occurredAt.getTime(), id: last.id } : null,
  };
}

/** The whole accounting, newest first, for the CSV download. */
export async function allDisclosures(db: Database, patientId: string) {
  return logQuery(db)
    .where(eq(disclosureLog.patientId, patientId))
    .orderBy(desc(disclosureLog.occurredAt), desc(disclosureLog.id));
}
