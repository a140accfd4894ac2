import { eq } from "drizzle-orm";
import { db } from "./client";
import { episodes, programs, users, type Relationship, type Role, type SharingCategory } from "./schema";
import { translator } from "~/i18n/i18n";
import { acceptInvitation, acceptWithNewAccount, decide, findPatientLink, invite, revokeLink } from "~/models/care-circle.server";
import { hashPassword } from "~/models/password.server";
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

  const pat = invitePerson("Pat Rivera", "supporter@demo.test", "parent", ["progress", "milestones"]);
  acceptInvitation(pat.token, { id: "demo-supporter", email: "supporter@demo.test", role: "supporter" }, null);
  decide(therapist, findPatientLink(patient.id, pat.linkId)!, { kind: "approve" });

  invitePerson("Alex Rivera", "alex@demo.test", "sibling", ["milestones"]);

  const casey = invitePerson("Casey Morgan", "casey@demo.test", "friend", ["attendance", "milestones"]);
  acceptWithNewAccount(casey.token, { name: "Casey Morgan", passwordHash }, null);

  const chris = invitePerson("Chris Rivera", "chris@demo.test", "partner", ["progress"]);
  acceptWithNewAccount(chris.token, { name: "Chris Rivera", passwordHash }, null);
  decide(therapist, findPatientLink(patient.id, chris.linkId)!, { kind: "approve" });
  revokeLink({ actor: patient, as: "patient" }, findPatientLink(patient.id, chris.linkId)!);
}

/** Creates the demo program once. Returns false when it is already there. */
export async function seedDemoProgram(password: string): Promise<boolean> {
  if (db.select().from(programs).where(eq(programs.id, demoProgramId)).get()) return false;
  const passwordHash = await hashPassword(password);
  const timeZone = "America/Chicago";
  db.transaction((tx) => {
    tx.insert(programs).values({ id: demoProgramId, name: "Riverbend IOP (demo)", timeZone }).run();
    for (const account of demoAccounts) {
      tx.insert(users)
        .values({ ...account, programId: demoProgramId, passwordHash, status: "active" })
        .run();
    }
    tx.insert(episodes)
      .values({
        id: "demo-episode",
        programId: demoProgramId,
        patientId: "demo-patient",
        primaryTherapistId: "demo-therapist",
        startDate: addDays(calendarDateIn(timeZone), -17),
        plannedWeeks: 10,
      })
      .run();
  });
  seedDemoCircle(passwordHash);
  return true;
}
