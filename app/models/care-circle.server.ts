import { and, desc, eq, inArray } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Database } from "#db/database";
import { circleLinks, consents, episodes, memberships, programs } from "#db/schema";
import type { LinkStatus } from "~/vocabulary";
import { releaseName, supporterAccesses, type CareTeamAccess, type SupporterAccess, type Viewer } from "~/models/access.server";
import { auditLink, endCurrentConsent, moveLink, settlePatientCircle, type Actor } from "~/models/circle-link.server";
import { calendarDateIn } from "~/utils/dates";

/**
 * The care circle as people see it: the care team's decisions, ending a link, the patient's circle,
 * the supporter's list of circles and the approval queue.
 */

export type Decision = { kind: "approve" } | { kind: "refuse"; reason: string } | { kind: "safety"; note: string };

export async function decide(db: Database, actor: Actor, link: typeof circleLinks.$inferSelect, decision: Decision) {
  return db.transaction(async (tx) => {
    const now = new Date();
    if (decision.kind === "approve") {
      if (!(await moveLink(tx, link, "active", "care_team", { decidedAt: now, decidedBy: actor.id }))) return false;
      await auditLink(tx, "circle.approved", actor, link.id);
      return true;
    }
    const changes =
      decision.kind === "refuse" ? { refusalReason: decision.reason } : { safetyConcern: true, safetyNote: decision.note };
    if (
      !(await moveLink(tx, link, "refused", "care_team", {
        ...changes,
        decidedAt: now,
        decidedBy: actor.id,
        endedAt: now,
        endedBy: actor.id,
      }))
    ) {
      return false;
    }
    await endCurrentConsent(tx, link, "ended", decision.kind === "refuse" ? "refused" : "refused_safety", actor.id, now);
    await auditLink(tx, decision.kind === "refuse" ? "circle.refused" : "circle.safety_flagged", actor, link.id);
    return true;
  });
}

export type Ender = { actor: Actor; as: "patient" | "supporter" | "care_team" };

/**
 * Ends a waiting or active link. The query names the ender's relationship to the link, so nobody
 * can end a link that is not theirs (the care team's reach is checked by the caller's query).
 */
export async function revokeLink(
  db: Database,
  ender: Ender,
  link: { id: string; status: LinkStatus; programId: string; patientId: string; supporterId: string | null },
  safety?: { note: string },
) {
  return db.transaction(async (tx) => {
    const moved = await moveLink(tx, link, "revoked", ender.as, {
      endedAt: new Date(),
      endedBy: ender.actor.id,
      ...(safety ? { safetyConcern: true, safetyNote: safety.note } : {}),
    });
    if (!moved) return false;
    await endCurrentConsent(tx, link, "revoked", `revoked_by_${ender.as}`, ender.actor.id);
    await auditLink(tx, "circle.revoked", { ...ender.actor, programId: link.programId }, link.id);
    return true;
  });
}

/** The patient's circle, newest first, with each link's current (or last) consent. */
export async function patientCircle(db: Database, patientId: string) {
  await settlePatientCircle(db, patientId);
  const links = await db
    .select()
    .from(circleLinks)
    .where(eq(circleLinks.patientId, patientId))
    .orderBy(desc(circleLinks.invitedAt))
    .all();
  const consentRows = await db
    .select()
    .from(consents)
    .where(eq(consents.patientId, patientId))
    .orderBy(desc(consents.version))
    .all();
  return links.map((link) => ({
    link,
    consent: consentRows.find((consent) => consent.linkId === link.id)!,
  }));
}

/** A link that ended after the supporter was in it: sharing ended by someone, or the consent ran out. */
const endedStatuses: LinkStatus[] = ["revoked", "expired"];

/** The day a link ended, for one that did: `ended_at`, or for links ended before it was kept, their last change. */
function endedAtOf(row: { status: LinkStatus; endedAt: Date | null; updatedAt: Date }) {
  return endedStatuses.includes(row.status) ? (row.endedAt ?? row.updatedAt) : null;
}

/**
 * The supporter's circles in the acting program, with each link's latest consent and, for one that
 * ended, when. Only what the
 * supporter may know: never the refusal reason or a safety note. Naming the patient of a live link
 * tells that they are in treatment, so those names are released through the access module.
 */
export async function supporterCircles(db: Database, viewer: Viewer, accesses?: SupporterAccess[]) {
  // Settles expiry first (unless the caller just did), so that the list below shows every link as it is now.
  const live = accesses ?? (await supporterAccesses(db, viewer));
  const patient = alias(memberships, "patient");
  const circles = (
    await db
      .select({
        linkId: circleLinks.id,
        status: circleLinks.status,
        patientName: patient.name,
        categories: consents.categories,
        endedAt: circleLinks.endedAt,
        updatedAt: circleLinks.updatedAt,
      })
      .from(circleLinks)
      .innerJoin(patient, eq(patient.id, circleLinks.patientId))
      .innerJoin(consents, eq(consents.linkId, circleLinks.id))
      .where(and(eq(circleLinks.supporterId, viewer.id), eq(circleLinks.programId, viewer.programId)))
      .orderBy(desc(circleLinks.updatedAt), desc(consents.version))
      .all()
  ).filter((row, index, all) => all.findIndex((other) => other.linkId === row.linkId) === index);
  await releaseName(
    db,
    live.map((access) => ({ access, itemType: "circle_list", itemId: access.linkId })),
  );
  return circles.map(({ endedAt, updatedAt, ...row }) => ({ ...row, endedAt: endedAtOf({ ...row, endedAt, updatedAt }) }));
}

/**
 * The supporter's circles that ended after they were in them (sharing ended by the patient, the care
 * team or themselves, or the consent ran out): each patient's name, which they already knew, and the
 * day it ended, nothing else. `linkId` narrows it to one circle.
 */
export async function endedCircles(db: Database, viewer: Viewer, linkId?: string) {
  const patient = alias(memberships, "patient");
  const rows = await db
    .select({
      linkId: circleLinks.id,
      patientId: circleLinks.patientId,
      patientName: patient.name,
      status: circleLinks.status,
      endedAt: circleLinks.endedAt,
      updatedAt: circleLinks.updatedAt,
    })
    .from(circleLinks)
    .innerJoin(patient, eq(patient.id, circleLinks.patientId))
    .where(
      and(
        eq(circleLinks.supporterId, viewer.id),
        eq(circleLinks.programId, viewer.programId),
        inArray(circleLinks.status, endedStatuses),
        linkId ? eq(circleLinks.id, linkId) : undefined,
      ),
    )
    .orderBy(desc(circleLinks.updatedAt))
    .all();
  return rows.map(({ status, updatedAt, endedAt, ...row }) => ({ ...row, endedAt: endedAtOf({ status, endedAt, updatedAt })! }));
}

/**
 * Links waiting for a decision that this care-team member may make: a therapist's own patients,
 * or the whole program for an admin. Oldest request first; dates in the program's time zone.
 */
export async function approvalQueue(db: Database, member: { id: string; programId: string; role: string }) {
  const patient = alias(memberships, "patient");
  const supporter = alias(memberships, "supporter");
  const rows = await db
    .select({
      link: circleLinks,
      patientName: patient.name,
      supporterName: supporter.name,
      categories: consents.categories,
      expiryKind: consents.expiryKind,
      expiresOn: consents.expiresOn,
      timeZone: programs.timeZone,
    })
    .from(circleLinks)
    .innerJoin(episodes, eq(episodes.id, circleLinks.episodeId))
    .innerJoin(programs, eq(programs.id, circleLinks.programId))
    .innerJoin(patient, eq(patient.id, circleLinks.patientId))
    .innerJoin(supporter, eq(supporter.id, circleLinks.supporterId))
    .innerJoin(consents, and(eq(consents.linkId, circleLinks.id), eq(consents.status, "active")))
    .where(
      and(
        eq(circleLinks.programId, member.programId),
        eq(circleLinks.status, "accepted"),
        member.role === "admin" ? undefined : eq(episodes.primaryTherapistId, member.id),
      ),
    )
    .orderBy(circleLinks.acceptedAt)
    .all();
  return rows.map((row) => ({
    id: row.link.id,
    patientName: row.patientName,
    supporterName: row.supporterName,
    relationship: row.link.relationship,
    categories: row.categories,
    expiryKind: row.expiryKind,
    expiresOn: row.expiresOn,
    invitedOn: calendarDateIn(row.timeZone, row.link.invitedAt),
    acceptedOn: row.link.acceptedAt ? calendarDateIn(row.timeZone, row.link.acceptedAt) : null,
  }));
}

/** One patient's whole circle, for their care team. */
export async function careTeamPatientCircle(db: Database, access: CareTeamAccess) {
  return patientCircle(db, access.patientId);
}
