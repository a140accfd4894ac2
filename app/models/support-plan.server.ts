import { and, asc, eq, inArray } from "drizzle-orm";
import type { Database } from "#db/database";
import { circleLinks, supportPlanAsks, supportPlanItems } from "#db/schema";
import { type SupportNeed } from "~/vocabulary";
import { releaseName, type SupporterAccess } from "~/models/access.server";
import { newId } from "~/utils/crypto.server";

type Patient = { id: string; programId: string };

export class SupportPlanRuleError extends Error {
  constructor(
    readonly field: string,
    readonly messageKey: string,
  ) {
    super(messageKey);
  }
}

/** The patient's approved supporters, whom they may ask to take on a part of the plan. */
export async function askableSupporters(db: Database, patientId: string) {
  return db
    .select({ linkId: circleLinks.id, name: circleLinks.invitedName })
    .from(circleLinks)
    .where(and(eq(circleLinks.patientId, patientId), eq(circleLinks.status, "active")))
    .orderBy(asc(circleLinks.invitedName))
    .all();
}

/** A need in the plan, asked of the chosen supporters (none is fine: it shows as a gap). */
export async function addPlanItem(
  db: Database,
  patient: Patient,
  item: { need: SupportNeed; details: string | null; ask: string[] },
) {
  const id = newId();
  const now = new Date();
  // Who may be asked is checked in the transaction that writes the asks, so a link ended meanwhile cannot slip in.
  await db.transaction(async (tx) => {
    const allowed = new Set((await askableSupporters(tx, patient.id)).map((supporter) => supporter.linkId));
    if (item.ask.some((linkId) => !allowed.has(linkId))) throw new SupportPlanRuleError("ask", "plan.ask.outside");
    await tx.insert(supportPlanItems).values({
      id,
      programId: patient.programId,
      patientId: patient.id,
      need: item.need,
      details: item.details,
      createdAt: now,
    });
    if (item.ask.length > 0) {
      await tx.insert(supportPlanAsks).values([...new Set(item.ask)].map((linkId) => ({ itemId: id, linkId, askedAt: now })));
    }
  });
  return id;
}

/** Removes an item of the patient's own plan, with its asks. False if it is not theirs. */
export async function removePlanItem(db: Database, patient: Patient, itemId: string) {
  return (
    (
      await db
        .delete(supportPlanItems)
        .where(and(eq(supportPlanItems.id, itemId), eq(supportPlanItems.patientId, patient.id)))
        .returning({ id: supportPlanItems.id })
    ).length === 1
  );
}

/**
 * One patient's plan, each item with who was asked and what they said. Only asks of links that are
 * still active count: someone who left the circle no longer covers anything. An item nobody has
 * accepted is a gap.
 */
export async function supportPlan(db: Database, patientId: string) {
  const items = await db
    .select()
    .from(supportPlanItems)
    .where(eq(supportPlanItems.patientId, patientId))
    .orderBy(asc(supportPlanItems.createdAt))
    .all();
  const asks =
    items.length === 0
      ? []
      : await db
          .select({ itemId: supportPlanAsks.itemId, name: circleLinks.invitedName, status: supportPlanAsks.status })
          .from(supportPlanAsks)
          .innerJoin(circleLinks, and(eq(circleLinks.id, supportPlanAsks.linkId), eq(circleLinks.status, "active")))
          .where(
            inArray(
              supportPlanAsks.itemId,
              items.map((item) => item.id),
            ),
          )
          .all();
  return items.map((item) => {
    const itemAsks = asks.filter((ask) => ask.itemId === item.id);
    return {
      id: item.id,
      need: item.need,
      details: item.details,
      asks: itemAsks.map(({ name, status }) => ({ name, status })),
      isGap: !itemAsks.some((ask) => ask.status === "accepted"),
    };
  });
}

/**
 * What patients asked of this supporter, under each of their live accesses (whatever the consent's
 * categories: the patient asked them by name). Each item shown is released as it is returned.
 */
export async function asksOfSupporter(db: Database, accesses: SupporterAccess[]) {
  if (accesses.length === 0) return [];
  const byLink = new Map(accesses.map((access) => [access.linkId, access]));
  const rows = (
    await db
      .select({
        itemId: supportPlanItems.id,
        linkId: supportPlanAsks.linkId,
        need: supportPlanItems.need,
        details: supportPlanItems.details,
        status: supportPlanAsks.status,
      })
      .from(supportPlanAsks)
      .innerJoin(supportPlanItems, eq(supportPlanItems.id, supportPlanAsks.itemId))
      .where(inArray(supportPlanAsks.linkId, [...byLink.keys()]))
      .orderBy(asc(supportPlanAsks.askedAt))
  ).map((row) => ({ ...row, patientName: byLink.get(row.linkId)!.patientName }));
  await releaseName(
    db,
    rows.map((row) => ({ access: byLink.get(row.linkId)!, itemType: "support_plan_item", itemId: row.itemId })),
  );
  return rows;
}

/** The supporter's answer to an ask on one of their live links. False if there is no such ask. */
export async function answerAsk(db: Database, accesses: SupporterAccess[], itemId: string, answer: "accepted" | "declined") {
  if (accesses.length === 0) return false;
  const [answered] = await db
    .update(supportPlanAsks)
    .set({ status: answer, respondedAt: new Date() })
    .where(
      and(
        eq(supportPlanAsks.itemId, itemId),
        inArray(
          supportPlanAsks.linkId,
          accesses.map((access) => access.linkId),
        ),
      ),
    )
    .returning({ itemId: supportPlanAsks.itemId });
  return Boolean(answered);
}
