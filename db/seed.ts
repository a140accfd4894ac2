import { eq } from "drizzle-orm";
import { db } from "./client";
import { episodes, programs, users, type Role } from "./schema";
import { hashPassword } from "~/models/password.server";
import { addDays, calendarDateIn } from "~/utils/dates";

export const demoProgramId = "demo-program";

export const demoAccounts: { id: string; role: Role; email: string; name: string }[] = [
  { id: "demo-admin", role: "admin", email: "admin@demo.test", name: "Sam Okafor" },
  { id: "demo-therapist", role: "therapist", email: "therapist@demo.test", name: "Maya Chen" },
  { id: "demo-patient", role: "patient", email: "patient@demo.test", name: "Jordan Rivera" },
  { id: "demo-supporter", role: "supporter", email: "supporter@demo.test", name: "Pat Rivera" },
];

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
  return true;
}
