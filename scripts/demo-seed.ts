import { eq } from "drizzle-orm";
import type { Database } from "#db/database";
import { checkInAudience, checkInReplies, checkIns, episodes, programs } from "#db/schema";
import type { Relationship, Role, SharingCategory } from "~/vocabulary";
import { translator } from "~/i18n/i18n";
import { acceptInvitation, acceptWithNewAccount, invite } from "~/models/invitations.server";
import { decide, revokeLink } from "~/models/care-circle.server";
import { findPatientLink } from "~/models/circle-link.server";
import { recordEvents } from "~/models/events.server";
import { setRecoveryStart } from "~/models/milestones.server";
import { insertActiveMember } from "~/models/account.server";
import { hashPassword } from "~/models/password.server";
import { careTeamAccess, supporterAccesses } from "~/models/access.server";
import { createGroup, enrolInGroup, latestMeetingDate, recordMeeting } from "~/models/schedule.server";
import { addPlanItem, answerAsk } from "~/models/support-plan.server";
import { assignModule } from "~/models/assignments.server";
import { markSectionRead, readerState, saveReflection, setPracticeDone, submitAttempt } from "~/models/learning.server";
import { findLibraryModule } from "~/models/module-library.server";
import { addDays, calendarDateIn } from "~/utils/dates";
import { englishLocale } from "~/i18n/i18n";

export const demoProgramId = "demo-program";

export const demoAccounts: { id: string; role: Role; email: string; name: string }[] = [
  { id: "demo-admin", role: "admin", email: "admin@demo.test", name: "Sam Okafor" },
  { id: "demo-therapist", role: "therapist", email: "therapist@demo.test", name: "Maya Chen" },
  { id: "demo-patient", role: "patient", email: "patient@demo.test", name: "Jordan Rivera" },
  { id: "demo-supporter", role: "supporter", email: "supporter@demo.test", name: "Pat Rivera" },
];

/** Extra supporters who appear in the demo patient's circle (same demo password). */
export const demoCircleAccounts = [
  { email: "casey@demo.test", name: "Casey Morgan" },
  { email: "chris@demo.test", name: "Chris Rivera" },
];

/**
 * The demo patient's circle, built through the same model functions the app uses: an active
 * supporter (progress, milestones, education and attendance), an invitation waiting for the supporter, one waiting for
 * the therapist, and one the patient ended.
 */
async function seedDemoCircle(db: Database, passwordHash: string) {
  const patient = { id: "demo-patient", programId: demoProgramId, ipAddress: null };
  const therapist = { id: "demo-therapist", programId: demoProgramId, ipAddress: null };
  const consent = {
    purpose: translator("en")("consent.purpose.default"),
    expiryKind: "episode_end" as const,
    expiresOn: null,
    signature: "Jordan Rivera",
  };
  const invitePerson = (name: string, email: string, relationship: Relationship, categories: SharingCategory[]) =>
    invite(db, patient, { ...consent, name, email, relationship, categories }, englishLocale);

  const pat = await invitePerson("Pat Rivera", "supporter@demo.test", "parent", [
    "progress",
    "milestones",
    "education",
    "attendance",
  ]);
  await acceptInvitation(db, pat.token, { id: "demo-supporter", email: "supporter@demo.test" }, null);
  await decide(db, therapist, (await findPatientLink(db, patient.id, pat.linkId))!, { kind: "approve" });

  await invitePerson("Alex Rivera", "alex@demo.test", "sibling", ["milestones"]);

  const casey = await invitePerson("Casey Morgan", "casey@demo.test", "friend", ["attendance", "milestones"]);
  await acceptWithNewAccount(db, casey.token, { name: "Casey Morgan", passwordHash }, null);

  const chris = await invitePerson("Chris Rivera", "chris@demo.test", "partner", ["progress"]);
  await acceptWithNewAccount(db, chris.token, { name: "Chris Rivera", passwordHash }, null);
  await decide(db, therapist, (await findPatientLink(db, patient.id, chris.linkId))!, { kind: "approve" });
  await revokeLink(db, { actor: patient, as: "patient" }, (await findPatientLink(db, patient.id, chris.linkId))!);
  return { patLinkId: pat.linkId };
}

const demoWins = [
  "Went to all three sessions",
  "Walked with Pat after dinner",
  "Said no to a party",
  "Slept through the night",
  "Cooked for the family",
];
const demoHard = [
  "Payday was rough",
  "Argument at work",
  "Old friends called",
  "Missed my sister's call",
  "Felt on edge all evening",
];

/**
 * About six weeks of the demo patient's check-ins, most shared with Pat, some private, one shared
 * slip; a few replies from Pat; a recovery start date; and a support plan with one gap (rides).
 * Written directly with past dates: the model stamps everything with the current time.
 */
async function seedDemoProgress(db: Database, patLinkId: string, timeZone: string) {
  const today = calendarDateIn(timeZone);
  await setRecoveryStart(db, { id: "demo-patient", programId: demoProgramId }, addDays(today, -23), timeZone);
  await db.transaction(async (tx) => {
    for (let daysAgo = 41; daysAgo >= 1; daysAgo -= 2) {
      const id = `demo-check-in-${daysAgo}`;
      const at = new Date(Date.now() - daysAgo * 86_400_000);
      const isSlip = daysAgo === 25;
      const isPrivate = daysAgo % 10 === 1;
      const week = Math.floor((41 - daysAgo) / 7);
      await tx.insert(checkIns).values({
        id,
        programId: demoProgramId,
        patientId: "demo-patient",
        kind: isSlip ? "slip" : "check_in",
        mood: Math.min(5, 2 + Math.floor(week / 2) + (daysAgo % 3 === 0 ? 1 : 0)),
        craving: Math.max(1, 8 - week - (daysAgo % 4 === 0 ? 1 : 0)),
        wins: isSlip ? null : demoWins[daysAgo % demoWins.length]!,
        hard: isSlip
          ? "I drank on Saturday night. I told my therapist on Monday and I'm back on track."
          : demoHard[daysAgo % demoHard.length]!,
        helpRequest: daysAgo < 8 ? "A text on Friday evening would help." : null,
        sharedWithCareTeam: true,
        createdAt: at,
        updatedAt: at,
      });
      if (!isPrivate) await tx.insert(checkInAudience).values({ checkInId: id, linkId: patLinkId, createdAt: at });
      // The last few days are "what is new" on the demo homes, as the models would have recorded them.
      const about = { programId: demoProgramId, patientId: "demo-patient", linkId: patLinkId, subjectId: id };
      if (!isPrivate && daysAgo <= 5) {
        await recordEvents(tx, [{ ...about, recipientId: "demo-supporter", kind: "check_in_shared" }], at);
      }
      if (!isPrivate && daysAgo % 6 === 1) {
        const repliedAt = new Date(at.getTime() + 3_600_000);
        await tx.insert(checkInReplies).values({
          id: `demo-reply-${daysAgo}`,
          checkInId: id,
          linkId: patLinkId,
          supporterId: "demo-supporter",
          preset: daysAgo === 25 ? null : "proud",
          message: daysAgo === 25 ? "Thank you for telling me. I love you and I'm here." : null,
          createdAt: repliedAt,
        });
        if (daysAgo <= 7)
          await recordEvents(tx, [{ ...about, recipientId: "demo-patient", kind: "check_in_replied" }], repliedAt);
      }
    }
  });
  const patient = { id: "demo-patient", programId: demoProgramId };
  const call = await addPlanItem(db, patient, { need: "hard_day_call", details: "Evenings after 7 pm", ask: [patLinkId] });
  await answerAsk(db, await supporterAccesses(db, { id: "demo-supporter", programId: demoProgramId }), call, "accepted");
  await addPlanItem(db, patient, {
    need: "ride",
    details: "Tuesday and Thursday sessions at 6 pm: I don't have a car right now.",
    ask: [],
  });
}

/**
 * Three modules the therapist asked of Pat, ten days ago: the first completed (with a reflection
 * shared with the therapist), the second half read, the third overdue and not started.
 */
async function seedDemoLearning(db: Database, patLinkId: string, timeZone: string) {
  const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000);
  const today = calendarDateIn(timeZone);
  const therapist = { id: "demo-therapist", programId: demoProgramId, ipAddress: null, role: "therapist" as const };
  const ask = (slug: string, dueOn: string) =>
    assignModule(db, therapist, "demo-patient", { slug, target: patLinkId, dueOn }, tenDaysAgo);
  await ask("welcome", addDays(today, -5));
  await ask("understanding-addiction", addDays(today, 7));
  await ask("triggers-and-cravings", addDays(today, -2));

  const pat = "demo-supporter";
  const welcome = (await findLibraryModule(db, demoProgramId, "welcome"))!;
  const { version } = await readerState(db, pat, welcome);
  for (const section of version.sections.keys()) await markSectionRead(db, pat, welcome, version.id, section, tenDaysAgo);
  const rightAnswers = Object.fromEntries(version.quiz.map((question) => [question.id, question.answer]));
  await submitAttempt(db, pat, welcome, version.id, rightAnswers, new Date(tenDaysAgo.getTime() + 600_000));
  await saveReflection(db, pat, welcome, {
    versionId: version.id,
    reflection:
      "I'm hoping Jordan feels less alone this time. I worry I'll say the wrong thing, so I want to learn how to listen better.",
    share: true,
    mayShare: true,
  });
  await setPracticeDone(db, pat, welcome, version.id, true);

  const understanding = (await findLibraryModule(db, demoProgramId, "understanding-addiction"))!;
  const reading = (await readerState(db, pat, understanding)).version;
  await markSectionRead(db, pat, understanding, reading.id, 0);
  await markSectionRead(db, pat, understanding, reading.id, 1);
}

/**
 * The program's weekly evening IOP schedule (Monday, Tuesday and Thursday at 18:00 for three hours,
 * Thursday's by video), the demo patient in all three groups, and the last three weeks of their
 * attendance: all attended but one missed and one excused meeting.
 */
async function seedDemoSchedule(db: Database, timeZone: string) {
  const therapist = { id: "demo-therapist", programId: demoProgramId, ipAddress: null };
  const access = (await careTeamAccess(db, { ...therapist, role: "therapist" }, "demo-patient"))!;
  const yesterday = addDays(calendarDateIn(timeZone), -1);
  const groups = [
    { name: "Evening IOP: skills group", weekday: 1, location: "Group room B", videoUrl: undefined },
    { name: "Evening IOP: process group", weekday: 2, location: "Group room B", videoUrl: undefined },
    {
      name: "Evening IOP: family education",
      weekday: 4,
      location: undefined,
      videoUrl: "https://video.example.org/riverbend-iop",
    },
  ];
  for (const [index, group] of groups.entries()) {
    const slot = { name: group.name, weekday: group.weekday, startTime: "18:00", durationMinutes: 180 };
    const groupId = await createGroup(db, therapist, { ...slot, location: group.location, videoUrl: group.videoUrl });
    // Enrolled when the episode began, so that every meeting below falls within the enrolment.
    await enrolInGroup(db, access, therapist, groupId, new Date(Date.now() - 40 * 86_400_000));
    for (let weeksAgo = 2; weeksAgo >= 0; weeksAgo--) {
      const date = addDays(latestMeetingDate(group.weekday, yesterday), -7 * weeksAgo);
      const status = index === 1 && weeksAgo === 1 ? "missed" : index === 2 && weeksAgo === 0 ? "excused" : "attended";
      await recordMeeting(db, [access], therapist, { id: groupId, ...slot }, { date, attendance: { "demo-patient": status } });
    }
  }
}

/** Creates the demo program once. Returns false when it is already there. */
export async function seedDemoProgram(db: Database, password: string): Promise<boolean> {
  if (await db.select().from(programs).where(eq(programs.id, demoProgramId)).get()) return false;
  const passwordHash = await hashPassword(password);
  const timeZone = "America/Chicago";
  await db.transaction(async (tx) => {
    await tx.insert(programs).values({ id: demoProgramId, name: "Riverbend IOP (demo)", timeZone });
    for (const account of demoAccounts) await insertActiveMember(tx, { ...account, programId: demoProgramId, passwordHash });
    await tx.insert(episodes).values({
      id: "demo-episode",
      programId: demoProgramId,
      patientId: "demo-patient",
      primaryTherapistId: "demo-therapist",
      startDate: addDays(calendarDateIn(timeZone), -40),
      plannedWeeks: 10,
    });
  });
  const { patLinkId } = await seedDemoCircle(db, passwordHash);
  await seedDemoProgress(db, patLinkId, timeZone);
  await seedDemoLearning(db, patLinkId, timeZone);
  await seedDemoSchedule(db, timeZone);
  return true;
}
