import { eq } from "drizzle-orm";
import { db } from "#db/client";
import { programs } from "#db/schema";
import { newId } from "~/utils/crypto.server";

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

export function getProgram(programId: string) {
  return db.select().from(programs).where(eq(programs.id, programId)).get();
}

export function findProgramByName(name: string) {
  return db.select().from(programs).where(eq(programs.name, name)).get();
}

export function createProgram(name: string, timeZone: string) {
  if (!isValidTimeZone(timeZone)) throw new Error(`Unknown time zone: ${timeZone}`);
  const program = { id: newId(), name, timeZone };
  db.insert(programs).values(program).run();
  return program;
}
