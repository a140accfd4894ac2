/**
 * Creates the first admin of a program (and the program, if it is new) and prints a single-use
 * activation link. Usage:
 *   npm run create-admin -- --program "Riverbend IOP" --email admin@example.org [--name "Sam Okafor"] [--time-zone America/Chicago]
 */
import { parseArgs } from "node:util";
import * as z from "zod";
import { openDatabase } from "#db/database";
import { migrateDatabase } from "#db/migrate";
import { env } from "~/env.server";

const { values } = parseArgs({
  options: {
    program: { type: "string" },
    email: { type: "string" },
    name: { type: "string" },
    "time-zone": { type: "string" },
  },
});

const input = z
  .object({
    program: z.string({ error: "--program is required" }).trim().min(1, "--program is required").max(120),
    email: z.email({ error: "--email must be an e-mail address" }).max(254),
    name: z.string().trim().min(1).max(120).default("Program administrator"),
    "time-zone": z.string().default("America/New_York"),
  })
  .safeParse(values);

if (!input.success) {
  for (const issue of input.error.issues) console.error(issue.message);
  console.error(
    'Usage: npm run create-admin -- --program "Program name" --email admin@example.org [--name "Full name"] [--time-zone Area/City]',
  );
  process.exit(2);
}

const location = env().database;
await migrateDatabase(location);
const { createProgram, findProgramByName, isValidTimeZone } = await import("~/models/program.server");
const { createInvitedAccount, DuplicateEmailError } = await import("~/models/account.server");
const { accountLink } = await import("~/mail.server");
const { db, close } = await openDatabase(location);

const timeZone = input.data["time-zone"];
if (!isValidTimeZone(timeZone)) {
  console.error(`Unknown time zone "${timeZone}". Use an IANA name such as America/Chicago.`);
  process.exit(2);
}

const program = (await findProgramByName(db, input.data.program)) ?? (await createProgram(db, input.data.program, timeZone));
try {
  const { activationToken } = await db.transaction((tx) =>
    createInvitedAccount(
      tx,
      { id: null, programId: program.id, ipAddress: null },
      { name: input.data.name, email: input.data.email, role: "admin" },
    ),
  );
  if (activationToken) {
    console.log(`Admin created for "${program.name}". Send this single-use link to them (valid for 7 days):`);
    console.log(accountLink("/activate", activationToken));
  } else {
    console.log(
      `Admin created for "${program.name}". This person already signs in to Care Circle: the new role is there when they do.`,
    );
  }
} catch (error) {
  if (error instanceof DuplicateEmailError) {
    console.error("This person is already an admin of this program.");
    process.exitCode = 1;
  } else throw error;
} finally {
  close();
}
