import { eq } from "drizzle-orm";
import type { Database } from "#db/database";
import { recoveryStarts } from "#db/schema";
import { release, type Capability } from "~/models/access.server";
import { currentEpisode } from "~/models/episode.server";
import { recoveryFrom, type Recovery } from "~/models/milestones";
import { calendarDateIn } from "~/utils/dates";

/** Days in recovery as of today in the program's time zone, or null when the patient does not track them. */
export async function recoveryOf(db: Database, patientId: string, timeZone: string, now = new Date()): Promise<Recovery | null> {
  const row = await db.select().from(recoveryStarts).where(eq(recoveryStarts.patientId, patientId)).get();
  return row ? recoveryFrom(row.startDate, calendarDateIn(timeZone, now)) : null;
}

/**
 * The milestones a supporter with `milestones` sees: the program week and, if the patient tracks
 * them, days in recovery. Each is released as it is returned.
 */
export async function sharedMilestones(db: Database, capability: Capability<"milestones">, now = new Date()) {
  const { linkId, patientId, timeZone } = capability.access;
  const episode = await currentEpisode(db, patientId, now);
  const recovery = await recoveryOf(db, patientId, timeZone, now);
  await release(
    db,
    [capability],
    [
      ...(episode ? [{ type: "program_week" as const, id: episode.id }] : []),
      ...(recovery ? [{ type: "recovery_days" as const, id: patientId }] : []),
    ],
    (item) => ({ linkId, ...item }),
  );
  return { programWeek: episode?.week ?? null, episodeKind: episode?.kind ?? "iop", recovery };
}

export class FutureDateError extends Error {}

/**
 * Sets (or, with null, stops tracking) the date the patient counts from. Changing it is never
 * announced to anyone: supporters with `milestones` simply see the count as it now is.
 */
export async function setRecoveryStart(
  db: Database,
  patient: { id: string; programId: string },
  startDate: string | null,
  timeZone: string,
) {
  if (startDate === null) {
    await db.delete(recoveryStarts).where(eq(recoveryStarts.patientId, patient.id));
    return;
  }
  if (startDate > calendarDateIn(timeZone)) throw new FutureDateError();
  await db
    .insert(recoveryStarts)
    .values({ patientId: patient.id, programId: patient.programId, startDate, updatedAt: new Date() })
    .onConflictDoUpdate({ target: recoveryStarts.patientId, set: { startDate, updatedAt: new Date() } });
}
