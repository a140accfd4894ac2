import { eq } from "drizzle-orm";
import type { Database } from "#db/database";
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

export async function getProgram(db: Database, programId: string) {
  return db.select().from(programs).where(eq(programs.id, programId)).get();
}

export async function findProgramByName(db: Database, name: string) {
  return db.select().from(programs).where(eq(programs.name, name)).get();
}

export async function createProgram(db: Database, name: string, timeZone: string) {
  if (!isValidTimeZone(timeZone)) throw new Error(`Unknown time zone: ${timeZone}`);
  const program = { id: newId(), name, timeZone };
  await db.insert(programs).values(program);
  return program;
}
