import { eq } from "drizzle-orm";
import { hiddenModules } from "#db/schema";
import { englishLocale } from "~/i18n/i18n";
import { careTeamAccess } from "~/models/access.server";
import { createTherapist, requestPasswordReset } from "~/models/account.server";
import { assignModule } from "~/models/assignments.server";
import { createCheckIn } from "~/models/check-in.server";
import { proposeFamilySession } from "~/models/family-sessions.server";
import { acceptInvitation, invite } from "~/models/invitations.server";
import { setRecoveryStart } from "~/models/milestones.server";
import { unsubscribeToken } from "~/models/notifications.server";
import { createGroup, enrolInGroup, recordMeeting } from "~/models/schedule.server";
import { addPlanItem } from "~/models/support-plan.server";
import { newId } from "~/utils/crypto.server";
import { calendarDateIn, isoWeekday } from "~/utils/dates";
import { sharingCategories, type Role, type SharingCategory } from "~/vocabulary";
import type { Member } from "./circles";
import { db } from "./database";
import { createActiveUser, enrolExisting, joinApproved } from "./fixtures";

/*
 * A cast of people in one program with a row of every kind a page shows (circles, check-ins, a plan,
 * a module asked, a family session, a group, activation, reset and unsubscribe links), and their own ids by
 * route parameter, so that a test can reach every page (and so every form) the app has.
 */

export const actorOf = (member: Member) => ({ id: member.id, programId: member.programId, ipAddress: null });

/** An invitation as the patient signs it on the invite form. */
export function invitationFrom(
  patient: Member,
  name: string,
  email = `${name.toLowerCase()}-${newId().slice(0, 8)}@example.test`,
) {
  return {
    categories: ["progress"] as SharingCategory[],
    purpose: "Support",
    expiryKind: "episode_end" as const,
    expiresOn: null,
    signature: patient.name,
    name,
    email,
    relationship: "friend" as const,
  };
}

/** A family session a year ahead, proposed by the patient's therapist, inviting `invitees`. */
export async function familySessionOf(therapist: Member, patient: Member, invitees: string[]) {
  const access = (await careTeamAccess(db, therapist, patient.id))!;
  return proposeFamilySession(db, access, actorOf(therapist), {
    date: "2027-06-07",
    startTime: "18:00",
    endTime: "19:00",
    location: "Room 1",
    invitees,
  });
}

/** A group meeting today, made by the patient's therapist, with the patient enrolled and today's meeting recorded. */
export async function groupOf(therapist: Member, patient: Member, timeZone: string) {
  const today = calendarDateIn(timeZone);
  const group = { name: "Evening group", weekday: isoWeekday(today), startTime: "00:00", durationMinutes: 15 };
  const groupId = await createGroup(db, actorOf(therapist), { ...group, location: "Room 3" });
  const access = (await careTeamAccess(db, therapist, patient.id))!;
  await enrolInGroup(db, access, actorOf(therapist), groupId);
  await recordMeeting(
    db,
    [access],
    actorOf(therapist),
    { id: groupId, ...group },
    {
      date: today,
      attendance: { [patient.id]: "attended" },
    },
  );
  return groupId;
}

export function checkInOf(patient: Member, wins: string, audience: string[]) {
  return createCheckIn(db, patient, {
    kind: "check_in",
    mood: 4,
    craving: 2,
    wins,
    hard: null,
    helpRequest: null,
    audience,
    sharedWithCareTeam: true,
  });
}

export type Cast = Awaited<ReturnType<typeof createCast>>;

/**
 * A cast in `program` (whose shared library holds the modules `slugs`): an admin, a therapist, their patient with two
 * approved supporters (one of them the supporter who posts), a request waiting for the care team,
 * an unopened invitation, check-ins, a plan, a module asked of the supporter, and the links of an
 * activation and a password reset, so that every form the app has is on some page.
 */
export async function createCast(program: { id: string; timeZone: string }, slugs: string[]) {
  const admin = await createActiveUser(program.id, "admin");
  const therapist = await createActiveUser(program.id, "therapist");
  const patient = await createActiveUser(program.id, "patient");
  const supporter = await createActiveUser(program.id, "supporter");
  await enrolExisting(patient, therapist);
  const supporterLink = await joinApproved(patient, supporter, therapist, [...sharingCategories]);
  const quiet = await createActiveUser(program.id, "supporter", "quiet");
  const quietLink = await joinApproved(patient, quiet, therapist, ["progress"]);
  const waiting = await createActiveUser(program.id, "supporter", "waiting");
  const waitingInvite = await invite(db, actorOf(patient), invitationFrom(patient, "Waiting", waiting.email), englishLocale);
  await acceptInvitation(db, waitingInvite.token, waiting, null);
  const openInvite = await invite(db, actorOf(patient), invitationFrom(patient, "Invitee"), englishLocale);

  const checkInIds = [
    await checkInOf(patient, "Walked to group", [supporterLink, quietLink]),
    await checkInOf(patient, "Slept well", []),
  ];
  await setRecoveryStart(db, patient, "2026-01-01", program.timeZone);
  await addPlanItem(db, patient, { need: "ride", details: "Rides on Tuesdays", ask: [supporterLink] });
  // An earlier cast's admin may have hidden modules of the shared program with a random post: show them again.
  await db.delete(hiddenModules).where(eq(hiddenModules.programId, program.id));
  await assignModule(db, { ...actorOf(therapist), role: "therapist" }, patient.id, {
    slug: slugs[0]!,
    target: supporterLink,
    dueOn: null,
  });
  const familySession = await familySessionOf(therapist, patient, [supporterLink, quietLink]);
  const group = await groupOf(therapist, patient, program.timeZone);
  const activation = await createTherapist(db, actorOf(admin), {
    name: "Newly Invited",
    email: `invited-${newId()}@example.test`,
  });
  // From an address of its own: resets are limited per address, and every action has a cast.
  const reset = (await requestPasswordReset(db, quiet.email, `cast ${newId()}`))!;
  const unsubscribe = await unsubscribeToken(db, quiet.id, "check_in_shared");
  const tokens = [openInvite.token, activation.activationToken!, reset.token, unsubscribe];

  return {
    members: { admin, therapist, patient, supporter } as Record<Role, Member>,
    emails: [admin.email, therapist.email, patient.email, supporter.email, quiet.email, waiting.email],
    /** The ids the pages are requested with: the cast's own rows. */
    ownParams: {
      linkId: [supporterLink, quietLink, waitingInvite.linkId],
      checkInId: checkInIds,
      patientId: [patient.id],
      accountId: [therapist.id],
      slug: slugs.slice(0, 2),
      section: ["1", "2"],
      sessionId: [familySession],
      groupId: [group],
    } as Record<string, string[]>,
    tokenPages: [
      `/invitation?token=${tokens[0]}`,
      `/activate?token=${tokens[1]}`,
      `/reset-password?token=${tokens[2]}`,
      `/unsubscribe?token=${tokens[3]}`,
    ],
    tokens,
  };
}
