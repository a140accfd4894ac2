import { spawn } from "node:child_process";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { digests, people } from "#db/schema";
import { en } from "~/i18n/en";
import { findMember } from "~/models/account.server";
import { createCheckIn } from "~/models/check-in.server";
import { clockTimeIn, minutesOfClockTime } from "~/utils/dates";
import { db } from "../support/database";
import { createProgramWithStaff, joinApproved } from "../support/fixtures";
import { projectRoot } from "../support/paths";
import { notifyAll } from "../support/notify";
import { startSmtpServer, textPart } from "../support/smtp";

/**
 * `npm run digest`, as an outside cron runs it: two runs at once, in two processes, on this file's
 * database, send a person whose digest is due exactly one, through a real SMTP server.
 */

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(() => smtp.close());

/** Zones from UTC−11 to UTC+14, a few hours apart: at any moment one of them is between 18:00 and 23:30. */
const zones = [
  "Pacific/Pago_Pago",
  "Pacific/Honolulu",
  "America/Los_Angeles",
  "America/Chicago",
  "America/New_York",
  "America/Sao_Paulo",
  "UTC",
  "Europe/Berlin",
  "Europe/Moscow",
  "Asia/Kolkata",
  "Asia/Tokyo",
  "Pacific/Auckland",
  "Pacific/Kiritimati",
];

/** A zone whose clock shows an evening now, and leaves time for the runs before midnight. */
function eveningZone() {
  const now = new Date();
  return zones.find((zone) => {
    const minutes = minutesOfClockTime(clockTimeIn(zone, now));
    return minutes >= 18 * 60 + 5 && minutes <= 23 * 60 + 30;
  })!;
}

function runDigest() {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    let output = "";
    const child = spawn(process.execPath, ["--import", "tsx", path.join(projectRoot, "scripts/digest.ts")], {
      cwd: projectRoot,
      env: { ...process.env, SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, MAIL_FROM: "Care Circle <no-reply@care-circle.test>" },
    });
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => resolve({ code, output }));
  });
}

it("sends one digest when two runs race in two processes", async () => {
  const { patient, supporter, therapist } = await createProgramWithStaff();
  const linkId = await joinApproved(patient, supporter, therapist, ["progress"]);
  const zone = eveningZone();
  const personId = (await findMember(db, supporter.id))!.personId;
  await db.update(people).set({ timeZone: zone, quietHours: "off" }).where(eq(people.id, personId));
  for (const wins of ["Marker one", "Marker two"]) {
    await createCheckIn(db, patient, {
      kind: "check_in",
      mood: 4,
      craving: 1,
      wins,
      hard: null,
      helpRequest: null,
      audience: [linkId],
      sharedWithCareTeam: false,
    });
  }

  // The events are decided first (without SMTP here, what the joining told goes to the outbox as sent), so
  // the two runs race for the digest itself.
  await notifyAll(new Date());
  const runs = await Promise.all([runDigest(), runDigest()]);
  for (const run of runs) expect(run.code, run.output).toBe(0);
  const made = runs.map((run) => Number(/Digests made: (\d+)/.exec(run.output)?.[1]));
  expect(made.sort()).toEqual([0, 1]);

  const toSupporter = smtp.received.filter((mail) => mail.to[0] === supporter.email);
  expect(toSupporter).toHaveLength(1);
  const text = textPart(toSupporter[0]!.raw);
  expect(text).toContain(`- ${en["notifications.kind.check_in_shared"]}: 2`);
  expect(text).not.toContain("Marker");
  expect(await db.select().from(digests).where(eq(digests.personId, personId)).all()).toHaveLength(1);
});
