import type { Database } from "#db/database";
import { events } from "#db/schema";
import type { EventKind, LinkStatus } from "~/vocabulary";
import { newId } from "~/utils/crypto.server";

/**
 * The stream of events: what happened, for whom. Each row is written in the transaction that made it
 * happen and holds ids only. The homes read it through `news.server.ts`; e-mail notifications and
 * digests will read the same rows. Nothing here decides what a supporter may see: that is settled when
 * the stream is read, by their accesses at that moment.
 */

export type NewEvent = {
  recipientId: string;
  kind: EventKind;
  programId: string;
  patientId: string;
  linkId?: string | null;
  subjectId?: string | null;
};

export async function recordEvents(tx: Database, rows: NewEvent[], at = new Date()) {
  if (rows.length === 0) return;
  await tx.insert(events).values(
    rows.map((row) => ({
      id: newId(),
      ...row,
      linkId: row.linkId ?? null,
      subjectId: row.subjectId ?? null,
      occurredAt: at,
    })),
  );
}

type LinkFacts = { id: string; programId: string; patientId: string; supporterId: string | null };

/** Who hears of a care-circle link moving to `to`, moved by `by`: never the one who moved it. */
export function linkEvents(link: LinkFacts, to: LinkStatus, by: "patient" | "supporter" | "care_team" | "system"): NewEvent[] {
  const about = { programId: link.programId, patientId: link.patientId, linkId: link.id };
  const toPatient = (kind: EventKind): NewEvent[] => (by === "patient" ? [] : [{ ...about, recipientId: link.patientId, kind }]);
  const toSupporter = (kind: EventKind): NewEvent[] =>
    link.supporterId && by !== "supporter" ? [{ ...about, recipientId: link.supporterId, kind }] : [];
  // An invitation that lapsed or was cancelled before anyone took it concerns nobody but the patient, who knows.
  if (!link.supporterId) return [];
  switch (to) {
    case "accepted":
      return toPatient("supporter_accepted");
    case "active":
      return [...toPatient("supporter_approved"), ...toSupporter("circle_approved")];
    case "refused":
      return [...toPatient("supporter_refused"), ...toSupporter("circle_ended")];
    case "revoked":
    case "expired":
      return [...toPatient(by === "supporter" ? "supporter_left" : "supporter_link_ended"), ...toSupporter("circle_ended")];
    default:
      return [];
  }
}
