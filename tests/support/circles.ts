import type { Database } from "#db/database";
import { episodes } from "#db/schema";
import { type Role, type SharingCategory } from "~/vocabulary";
import { acceptInvitation, invite } from "~/models/invitations.server";
import { decide } from "~/models/care-circle.server";
import { findPatientLink } from "~/models/circle-link.server";
import { insertActiveMember } from "~/models/account.server";
import { createProgram } from "~/models/program.server";
import { newId } from "~/utils/crypto.server";
import { englishLocale } from "~/i18n/i18n";

/**
 * People and care circles made through the app's own model functions, on any database handle: the
 * test fixtures use them on a test file's database, the crash and load runs on the database a server
 * child process is about to open.
 */
export type Member = { id: string; programId: string; email: string; name: string; role: Role };

/** An active account in `programId` whose password hashes to `passwordHash`. */
export async function addActiveMember(
  db: Database,
  programId: string,
  role: Role,
  label: string,
  passwordHash: string,
): Promise<Member> {
  const member = { id: newId(), programId, email: `${label}-${newId().slice(0, 8)}@example.test`, name: `Test ${label}`, role };
  await insertActiveMember(db, { ...member, passwordHash });
  return member;
}

/** Opens an episode of care for `patient` with `therapist` as primary therapist; returns its id. */
export async function enrol(db: Database, patient: Member, therapist: Member, startDate = "2026-01-05", plannedWeeks = 10) {
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

/** Brings `supporter` into `patient`'s circle, approved by `therapist`, sharing `categories`; returns the link id. */
export async function joinApproved(
  db: Database,
  patient: Member,
  supporter: Member,
  therapist: Member,
  categories: SharingCategory[],
) {
  const actor = (member: Member) => ({ id: member.id, programId: member.programId, ipAddress: null });
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
    englishLocale,
  );
  await acceptInvitation(db, token, supporter, null);
  await decide(db, actor(therapist), (await findPatientLink(db, patient.id, linkId))!, { kind: "approve" });
  return linkId;
}

export type CirclePatient = Member & { therapist: Member; links: { linkId: string; supporter: Member }[] };

/**
 * A program with `therapists` therapists sharing `patients` patients between them, each patient with
 * `supportersPerPatient` approved supporters who see progress and milestones. Everyone signs in with
 * the password behind `passwordHash`, hashed once for all of them.
 */
export async function seedCircles(
  db: Database,
  shape: { therapists: number; patients: number; supportersPerPatient: number; passwordHash: string },
) {
  const program = await createProgram(db, `Circles ${newId().slice(0, 6)}`, "America/Chicago");
  const member = (role: Role, label: string) => addActiveMember(db, program.id, role, label, shape.passwordHash);
  const admin = await member("admin", "admin");
  const therapists: Member[] = [];
  for (let t = 0; t < shape.therapists; t++) therapists.push(await member("therapist", `therapist-${t}`));
  const patients: CirclePatient[] = [];
  for (let p = 0; p < shape.patients; p++) {
    const therapist = therapists[p % therapists.length]!;
    const patient = await member("patient", `patient-${p}`);
    await enrol(db, patient, therapist);
    const links = [];
    for (let s = 0; s < shape.supportersPerPatient; s++) {
      const supporter = await member("supporter", `supporter-${p}-${s}`);
      links.push({ linkId: await joinApproved(db, patient, supporter, therapist, ["progress", "milestones"]), supporter });
    }
    patients.push({ ...patient, therapist, links });
  }
  return { program, admin, therapists, patients };
}
