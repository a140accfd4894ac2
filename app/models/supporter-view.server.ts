import type { Database } from "#db/database";
import { narrow, type SupporterAccess } from "~/models/access.server";
import { sharedTrendEntries } from "~/models/check-in.server";
import { sharedMilestones } from "~/models/milestones.server";
import { sharedSchedule } from "~/models/schedule.server";
import { trendSince, weeklyTrend } from "~/models/trends";

/**
 * What a supporter's page about one patient shows, category by category and nothing else: each part is
 * read through the access module's capability for its category, which logs what it releases. The
 * supporter's page and the patient's preview of it both build it here, from the same access.
 */
export async function supporterCircleView(db: Database, access: SupporterAccess) {
  const milestones = narrow(access, "milestones");
  const progress = narrow(access, "progress");
  const attendance = narrow(access, "attendance");
  const shared = milestones ? await sharedMilestones(db, milestones) : null;
  // Only check-ins shared with this very link count towards the trend a supporter sees.
  const trend = progress ? weeklyTrend(await sharedTrendEntries(db, progress, trendSince()), access.timeZone) : null;
  return {
    linkId: access.linkId,
    patientName: access.patientName,
    categories: access.categories,
    programWeek: shared?.programWeek ?? null,
    episodeKind: shared?.episodeKind ?? "iop",
    recovery: shared?.recovery ?? null,
    trend,
    schedule: attendance ? await sharedSchedule(db, attendance) : null,
    timeZone: access.timeZone,
  };
}

export type SupporterCircleView = Awaited<ReturnType<typeof supporterCircleView>>;
