import { db } from "./database";
import { addActiveMember, enrol, joinApproved as joinApprovedIn, type Member } from "./circles";
import { type Role, type SharingCategory } from "~/vocabulary";
import { findMember } from "~/models/account.server";
import { createProgram } from "~/models/program.server";
import { hashPassword } from "~/models/password.server";
import { startSession } from "~/session.server";
import { newId } from "~/utils/crypto.server";

export const testPassword = "correct horse battery staple";
let passwordHash: Promise<string> | undefined;

export type TestUser = Member;

/** An active account with `testPassword`, in `programId`. */
export async function createActiveUser(programId: string, role: Role, label: string = role): Promise<TestUser> {
  passwordHash ??= hashPassword(testPassword);
  return addActiveMember(db, programId, role, label, await passwordHash);
}

export function enrolExisting(patient: TestUser, therapist: TestUser, startDate?: string, plannedWeeks?: number) {
  return enrol(db, patient, therapist, startDate, plannedWeeks);
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
export function joinApproved(patient: TestUser, supporter: TestUser, therapist: TestUser, categories: SharingCategory[]) {
  return joinApprovedIn(db, patient, supporter, therapist, categories);
}
