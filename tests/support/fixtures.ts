import { eq } from "drizzle-orm";
import { db } from "./database";
import { circleLinks, episodes } from "#db/schema";
import { type Role, type SharingCategory } from "~/vocabulary";
import { acceptInvitation, invite } from "~/models/invitations.server";
import { decide } from "~/models/care-circle.server";
import { findMember, insertActiveMember } from "~/models/account.server";
import { createProgram } from "~/models/program.server";
import { hashPassword } from "~/models/password.server";
import { startSession } from "~/session.server";
import { newId } from "~/utils/crypto.server";

export const testPassword = "correct horse battery staple";
let passwordHash: Promise<string> | undefined;

export type TestUser = { id: string; programId: string; email: string; name: string; role: Role };

/** An active account with `testPassword`, in `programId`. */
export async function createActiveUser(programId: string, role: Role, label: string = role): Promise<TestUser> {
  passwordHash ??= hashPassword(testPassword);
  const user = {
    id: newId(),
    programId,
    email: `${label}-${newId().slice(0, 8)}@example.test`,
    name: `Test ${label}`,
    role,
  };
  await insertActiveMember(db, { ...user, passwordHash: await passwordHash });
  return user;
}

export async function enrolExisting(patient: TestUser, therapist: TestUser, startDate = "2026-01-05", plannedWeeks = 10) {
  const id = newId();
  await db.insert(episodes).values({
    id,
    programId: patient.programId,
    patientId: patient.id,
    primaryTherapistId: therapist.id,
    startDate,
    plannedWeeks,
  });
  return id;
}

/** A program with one active account per role and the patient enrolled with the therapist. */
export async function createProgramWithStaff(name = "Test program") {
  const program = await createProgram(db, `${name} ${newId().slice(0, 6)}`, "America/Chicago");
  const admin = await createActiveUser(program.id, "admin");
  const therapist = await createActiveUser(program.id, "therapist");
  const patient = await createActiveUser(program.id, "patient");
  const supporter = await createActiveUser(program.id, "supporter");
  await enrolExisting(patient, therapist);
  return { program, admin, therapist, patient, supporter };
}

export const testOrigin = "http://care-circle.test";

/** Signs a membership's person in for real, acting as it (a session row and its cookie); returns the Cookie header. */
export async function cookieFor(membershipId: string): Promise<string> {
  const member = (await findMember(db, membershipId))!;
  const setCookie = await startSession(db, new Request(`${testOrigin}/login`), member.personId, member.id, {
    ipAddress: "127.0.0.1",
    userAgent: "vitest",
  });
  return setCookie.split(";")[0]!;
}

/** Brings `supporter` into `patient`'s circle, approved by `therapist`, sharing `categories`; returns the link id. */
export async function joinApproved(patient: TestUser, supporter: TestUser, therapist: TestUser, categories: SharingCategory[]) {
  const actor = (user: TestUser) => ({ id: user.id, programId: user.programId, ipAddress: null });
  const { token, linkId } = await invite(
    db,
    actor(patient),
    {
      categories,
      purpose: "Support",
      expiryKind: "episode_end",
      expiresOn: null,
      signature: patient.name,
      name: supporter.name,
      email: supporter.email,
      relationship: "partner",
    },
    "en-US",
  );
  await acceptInvitation(db, token, supporter, null);
  const link = (await db.select().from(circleLinks).where(eq(circleLinks.id, linkId)).get())!;
  await decide(db, actor(therapist), link, { kind: "approve" });
  return linkId;
}
