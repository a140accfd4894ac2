import { eq } from "drizzle-orm";
import { db } from "#db/client";
import { checkInAudience, checkInReplies, checkIns, episodes, programs } from "#db/schema";
import type { Relationship, Role, SharingCategory } from "~/vocabulary";
import { translator } from "~/i18n/i18n";
import { acceptInvitation, acceptWithNewAccount, invite } from "~/models/invitations.server";
import { decide, revokeLink } from "~/models/care-circle.server";
import { findPatientLink } from "~/models/circle-link.server";
import { setRecoveryStart } from "~/models/milestones.server";
import { insertActiveMember } from "~/models/account.server";
import { hashPassword } from "~/models/password.server";
import { supporterAccesses } from "~/models/access.server";
import { addPlanItem, answerAsk } from "~/models/support-plan.server";
import { assignModule } from "~/models/assignments.server";
import { markSectionRead, readerState, saveReflection, setPracticeDone, submitAttempt } from "~/models/learning.server";
import { findLibraryModule } from "~/models/module-library.server";
import { addDays, calendarDateIn } from "~/utils/dates";

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
 * supporter (progress and milestones), an invitation waiting for the supporter, one waiting for
 * the therapist, and one the patient ended.
 */
function seedDemoCircle(passwordHash: string) {
  const patient = { id: "demo-patient", programId: demoProgramId, ipAddress: null };
  const therapist = { id: "demo-therapist", programId: demoProgramId, ipAddress: null };
  const consent = {
    purpose: translator("en")("consent.purpose.default"),
    expiryKind: "episode_end" as const,
    expiresOn: null,
    signature: "Jordan Rivera",
  };
  const invitePerson = (name: string, email: string, relationship: Relationship, categories: SharingCategory[]) =>
    invite(patient, { ...consent, name, email, relationship, categories }, "en-US");

  const pat = invitePerson("Pat Rivera", "supporter@demo.test", "parent", ["progress", "milestones", "education"]);
  acceptInvitation(pat.token, { id: "demo-supporter", email: "supporter@demo.test" }, null);
  decide(therapist, findPatientLink(patient.id, pat.linkId)!, { kind: "approve" });

  invitePerson("Alex Rivera", "alex@demo.test", "sibling", ["milestones"]);

  const casey = invitePerson("Casey Morgan", "casey@demo.test", "friend", ["attendance", "milestones"]);
  acceptWithNewAccount(casey.token, { name: "Casey Morgan", passwordHash }, null);

  const chris = invitePerson("Chris Rivera", "chris@demo.test", "partner", ["progress"]);
  acceptWithNewAccount(chris.token, { name: "Chris Rivera", passwordHash }, null);
  decide(therapist, findPatientLink(patient.id, chris.linkId)!, { kind: "approve" });
  revokeLink({ actor: patient, as: "patient" }, findPatientLink(patient.id, chris.linkId)!);
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
function seedDemoProgress(patLinkId: string, timeZone: string) {
  const today = calendarDateIn(timeZone);
  setRecoveryStart({ id: "demo-patient", programId: demoProgramId }, addDays(today, -23), timeZone);
  db.transaction((tx) => {
    for (let daysAgo = 41; daysAgo >= 1; daysAgo -= 2) {
      const id = `demo-check-in-${daysAgo}`;
      const at = new Date(Date.now() - daysAgo * 86_400_000);
      const isSlip = daysAgo === 25;
      const isPrivate = daysAgo % 10 === 1;
      const week = Math.floor((41 - daysAgo) / 7);
      tx.insert(checkIns)
        .values({
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
        })
        .run();
      if (!isPrivate) tx.insert(checkInAudience).values({ checkInId: id, linkId: patLinkId, createdAt: at }).run();
      if (!isPrivate && daysAgo % 6 === 1) {
        tx.insert(checkInReplies)
          .values({
            id: `demo-reply-${daysAgo}`,
            checkInId: id,
            linkId: patLinkId,
            supporterId: "demo-supporter",
            preset: daysAgo === 25 ? null : "proud",
            message: daysAgo === 25 ? "Thank you for telling me. I love you and I'm here." : null,
            createdAt: new Date(at.getTime() + 3_600_000),
          })
          .run();
      }
    }
  });
  const patient = { id: "demo-patient", programId: demoProgramId };
  const call = addPlanItem(patient, { need: "hard_day_call", details: "Evenings after 7 pm", ask: [patLinkId] });
  answerAsk(supporterAccesses({ id: "demo-supporter", programId: demoProgramId }), call, "accepted");
  addPlanItem(patient, {
    need: "ride",
    details: "Tuesday and Thursday sessions at 6 pm: I don't have a car right now.",
    ask: [],
  });
}

/**
 * Three modules the therapist asked of Pat, ten days ago: the first completed (with a reflection
 * shared with the therapist), the second half read, the third overdue and not started.
 */
function seedDemoLearning(patLinkId: string, timeZone: string) {
  const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000);
  const today = calendarDateIn(timeZone);
  const therapist = { id: "demo-therapist", programId: demoProgramId, ipAddress: null, role: "therapist" as const };
  const ask = (slug: string, dueOn: string) =>
    assignModule(therapist, "demo-patient", { slug, target: patLinkId, dueOn }, tenDaysAgo);
  ask("welcome", addDays(today, -5));
  ask("understanding-addiction", addDays(today, 7));
  ask("triggers-and-cravings", addDays(today, -2));

  const pat = "demo-supporter";
  const welcome = findLibraryModule(demoProgramId, "welcome")!;
  const { version } = readerState(pat, welcome);
  version.sections.forEach((_, section) => markSectionRead(pat, welcome, version.id, section, tenDaysAgo));
  const rightAnswers = Object.fromEntries(version.quiz.map((question) => [question.id, question.answer]));
  submitAttempt(pat, welcome, version.id, rightAnswers, new Date(tenDaysAgo.getTime() + 600_000));
  saveReflection(pat, welcome, {
    versionId: version.id,
    reflection:
      "I'm hoping Jordan feels less alone this time. I worry I'll say the wrong thing, so I want to learn how to listen better.",
    share: true,
    mayShare: true,
  });
  setPracticeDone(pat, welcome, version.id, true);

  const understanding = findLibraryModule(demoProgramId, "understanding-addiction")!;
  const reading = readerState(pat, understanding).version;
  markSectionRead(pat, understanding, reading.id, 0);
  markSectionRead(pat, understanding, reading.id, 1);
}

/** Creates the demo program once. Returns false when it is already there. */
export async function seedDemoProgram(password: string): Promise<boolean> {
  if (db.select().from(programs).where(eq(programs.id, demoProgramId)).get()) return false;
  const passwordHash = await hashPassword(password);
  const timeZone = "America/Chicago";
  db.transaction((tx) => {
    tx.insert(programs).values({ id: demoProgramId, name: "Riverbend IOP (demo)", timeZone }).run();
    for (const account of demoAccounts) insertActiveMember(tx, { ...account, programId: demoProgramId, passwordHash });
    tx.insert(episodes)
      .values({
        id: "demo-episode",
        programId: demoProgramId,
        patientId: "demo-patient",
        primaryTherapistId: "demo-therapist",
        startDate: addDays(calendarDateIn(timeZone), -40),
        plannedWeeks: 10,
      })
      .run();
  });
  const { patLinkId } = seedDemoCircle(passwordHash);
  seedDemoProgress(patLinkId, timeZone);
  seedDemoLearning(patLinkId, timeZone);
  return true;
}
