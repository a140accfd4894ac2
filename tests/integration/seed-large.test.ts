import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, location } from "../support/database";
import { testOrigin, testPassword } from "../support/fixtures";
import { projectRoot, testDatabaseDir } from "../support/paths";
import { remixHandler, requestAs } from "../support/remix-handler";
import {
  checkInAudience,
  checkInReplies,
  checkIns,
  circleLinks,
  consents,
  disclosureLog,
  events,
  memberships,
  moduleAssignments,
  people,
  supportPlanAsks,
  supportPlanItems,
} from "#db/schema";
import { supporterAccesses } from "~/models/access.server";
import { openDatabase, refreshPlannerStatistics, type Database } from "#db/database";
import { runMailJobs } from "~/models/notifications.server";
import { hashPassword } from "~/models/password.server";
import { calendarDateIn } from "~/utils/dates";
import { seedLargeProgram, type SeedSummary } from "../../scripts/large-program/index";

/**
 * A small program from the large-program seed: what it writes must hold to every rule a user relies on,
 * and the app must work on it. Run on both drivers, like the rest of the suite.
 */

let summary: SeedSummary;
type Link = typeof circleLinks.$inferSelect;
type Consent = typeof consents.$inferSelect;
let links: Map<string, Link>;
let consentsByLink: Map<string, Consent[]>;

beforeAll(async () => {
  summary = await seedLargeProgram(db, { patients: 12, passwordHash: await hashPassword(testPassword) });
  links = new Map(
    (await db.select().from(circleLinks).where(eq(circleLinks.programId, summary.programId))).map((link) => [link.id, link]),
  );
  consentsByLink = new Map();
  for (const consent of await db.select().from(consents).where(eq(consents.programId, summary.programId))) {
    consentsByLink.set(consent.linkId, [...(consentsByLink.get(consent.linkId) ?? []), consent]);
  }
  for (const list of consentsByLink.values()) list.sort((a, b) => a.version - b.version);
}, 120_000);

/** The consent of the link in force at `at`, if the care team had approved the link and it had not ended. */
function consentInForce(linkId: string, at: Date): Consent | undefined {
  const link = links.get(linkId)!;
  if (!link.decidedAt || link.decidedAt > at || link.status === "refused") return undefined;
  if (link.endedAt && link.endedAt <= at) return undefined;
  return consentsByLink
    .get(linkId)!
    .find(
      (consent) =>
        consent.signedAt <= at &&
        (!consent.endedAt || at < consent.endedAt) &&
        (consent.expiresOn === null || calendarDateIn(summary.timeZone, at) <= consent.expiresOn),
    );
}

const endedConsentStatus = { revoked: "revoked", expired: "expired", refused: "ended", cancelled: "ended" } as const;

describe("the large-program seed", () => {
  it("gives every link exactly one current consent, which says where the link stands", () => {
    expect(links.size).toBeGreaterThan(12);
    for (const link of links.values()) {
      const history = consentsByLink.get(link.id) ?? [];
      expect(history.map((consent) => consent.version)).toEqual(history.map((_, i) => i + 1));
      const current = history.filter((consent) => consent.status !== "superseded");
      expect(current, `link ${link.status}`).toHaveLength(1);
      expect(current[0]).toBe(history.at(-1));
      history.slice(0, -1).forEach((consent, i) => expect(consent.endedAt).toEqual(history[i + 1]!.signedAt));
      const open = link.status === "invited" || link.status === "accepted" || link.status === "active";
      expect(current[0]!.status).toBe(open ? "active" : endedConsentStatus[link.status as keyof typeof endedConsentStatus]);
      expect(current[0]!.text).toContain(current[0]!.recipientName);
    }
  });

  it("has consents of every shape and people in more than one place", async () => {
    const statuses = new Set([...links.values()].map((link) => link.status));
    for (const status of ["active", "revoked", "expired", "invited", "accepted", "refused", "cancelled"] as const) {
      expect(statuses, status).toContain(status);
    }
    const all = [...consentsByLink.values()].flat();
    expect(all.some((consent) => consent.status === "superseded")).toBe(true);
    expect(all.some((consent) => consent.status === "expired" && consent.expiryKind === "date")).toBe(true);
    expect(new Set(all.map((consent) => consent.categories.join())).size).toBeGreaterThan(3);

    const activePatientsBySupporter = new Map<string, Set<string>>();
    for (const link of links.values()) {
      if (link.status !== "active") continue;
      activePatientsBySupporter.set(
        link.supporterId!,
        (activePatientsBySupporter.get(link.supporterId!) ?? new Set()).add(link.patientId),
      );
    }
    expect([...activePatientsBySupporter.values()].some((patients) => patients.size >= 2)).toBe(true);

    const roles = await db
      .select({ personId: memberships.personId, role: memberships.role, id: memberships.id })
      .from(memberships)
      .where(eq(memberships.programId, summary.programId));
    const patientPeople = new Set(roles.filter((row) => row.role === "patient").map((row) => row.personId));
    const patientsWhoSupport = roles.filter(
      (row) => row.role === "supporter" && patientPeople.has(row.personId) && activePatientsBySupporter.has(row.id),
    );
    expect(patientsWhoSupport.length).toBeGreaterThan(0);
    expect(summary.samples.patientWhoSupports.map((sample) => sample.membershipId)).toContain(patientsWhoSupport[0]!.id);
  });

  it("lets the app's access rules agree: each supporter's live accesses are exactly their active links", async () => {
    const supporters = await db
      .select({ id: memberships.id })
      .from(memberships)
      .where(eq(memberships.role, "supporter"))
      .then((rows) => rows.filter((row) => [...links.values()].some((link) => link.supporterId === row.id)));
    expect(supporters.length).toBeGreaterThan(10);
    for (const supporter of supporters) {
      const expected = [...links.values()].filter((link) => link.supporterId === supporter.id && link.status === "active");
      const accesses = await supporterAccesses(db, { id: supporter.id, programId: summary.programId });
      expect(accesses.map((access) => access.linkId).sort()).toEqual(expected.map((link) => link.id).sort());
    }
    // Nothing had lapsed unnoticed: settling expiry on every read changed no link.
    const after = await db.select({ id: circleLinks.id, status: circleLinks.status }).from(circleLinks);
    for (const row of after) if (links.has(row.id)) expect(row.status).toBe(links.get(row.id)!.status);
  });

  it("shares a check-in only with supporters whose consent allowed progress when it was written", async () => {
    const audience = await db
      .select({
        linkId: checkInAudience.linkId,
        at: checkInAudience.createdAt,
        checkInAt: checkIns.createdAt,
        patientId: checkIns.patientId,
      })
      .from(checkInAudience)
      .innerJoin(checkIns, eq(checkIns.id, checkInAudience.checkInId))
      .where(eq(checkIns.programId, summary.programId));
    expect(audience.length).toBeGreaterThan(100);
    for (const row of audience) {
      expect(row.at).toEqual(row.checkInAt);
      expect(links.get(row.linkId)!.patientId).toBe(row.patientId);
      expect(consentInForce(row.linkId, row.at)?.categories ?? [], `shared at ${row.at.toISOString()}`).toContain("progress");
    }
    const replies = await db.select().from(checkInReplies).innerJoin(checkIns, eq(checkIns.id, checkInReplies.checkInId));
    expect(replies.length).toBeGreaterThan(0);
    const shared = new Set(audience.map((row) => row.linkId + row.checkInAt.getTime()));
    for (const { check_in_replies: reply, check_ins: checkIn } of replies) {
      expect(shared.has(reply.linkId + checkIn.createdAt.getTime())).toBe(true);
      expect(links.get(reply.linkId)!.supporterId).toBe(reply.supporterId);
      expect(consentInForce(reply.linkId, reply.createdAt)?.categories ?? []).toContain("progress");
    }
  });

  it("asks modules and plan items only of supporters the consent and the circle allowed at the time", async () => {
    const assignments = await db.select().from(moduleAssignments).where(eq(moduleAssignments.programId, summary.programId));
    expect(assignments.length).toBeGreaterThan(0);
    for (const assignment of assignments) {
      expect(consentInForce(assignment.linkId, assignment.createdAt)?.categories ?? []).toContain("education");
    }
    const asks = await db
      .select({ linkId: supportPlanAsks.linkId, askedAt: supportPlanAsks.askedAt, patientId: supportPlanItems.patientId })
      .from(supportPlanAsks)
      .innerJoin(supportPlanItems, eq(supportPlanItems.id, supportPlanAsks.itemId));
    for (const ask of asks) {
      expect(links.get(ask.linkId)!.patientId).toBe(ask.patientId);
      expect(consentInForce(ask.linkId, ask.askedAt)).toBeDefined();
    }
  });

  it("logs what was shown only under the consent in force, within what it allowed, by day with counts", async () => {
    const log = await db.select().from(disclosureLog).where(eq(disclosureLog.programId, summary.programId));
    const shown = log.filter((row) => row.kind === "disclosure");
    expect(shown.length).toBeGreaterThan(100);
    expect(shown.some((row) => row.count > 1)).toBe(true);
    const consentById = new Map([...consentsByLink.values()].flat().map((consent) => [consent.id, consent]));
    for (const row of shown) {
      const consent = consentById.get(row.consentId)!;
      const link = links.get(row.linkId)!;
      expect(consent.linkId).toBe(row.linkId);
      expect(row.patientId).toBe(link.patientId);
      expect(row.day).toBe(calendarDateIn(summary.timeZone, row.occurredAt));
      expect(calendarDateIn(summary.timeZone, row.lastOccurredAt!)).toBe(row.day);
      expect(row.count).toBeGreaterThanOrEqual(1);
      if (row.itemType === "invitation") {
        // The invitation page, before anyone accepted it.
        expect(consent.version).toBe(1);
        expect(link.acceptedAt === null || row.lastOccurredAt! < link.acceptedAt).toBe(true);
        continue;
      }
      expect(row.actorUserId).toBe(link.supporterId);
      for (const at of [row.occurredAt, row.lastOccurredAt!]) expect(consentInForce(row.linkId, at)?.id).toBe(row.consentId);
      if (row.category !== null) expect(consent.categories).toContain(row.category);
    }
    // Every consent was logged as signed, and every ended one as ended.
    const signed = new Set(log.filter((row) => row.kind === "consent_signed").map((row) => row.consentId));
    expect(signed.size).toBe(consentById.size);
    const ended = new Set(log.filter((row) => row.kind === "consent_ended").map((row) => row.consentId));
    for (const consent of consentById.values())
      expect(ended.has(consent.id)).toBe(consent.status !== "active" && consent.status !== "superseded");
  });

  it("writes the year's events for the homes, each already decided for e-mail, so a server started on it mails no backlog", async () => {
    const stream = await db.select().from(events).where(eq(events.programId, summary.programId));
    const audience = await db.select().from(checkInAudience);
    const shared = stream.filter((event) => event.kind === "check_in_shared");
    expect(shared).toHaveLength(audience.length);
    for (const event of shared) {
      const link = links.get(event.linkId!)!;
      expect(event.recipientId).toBe(link.supporterId);
      expect(event.patientId).toBe(link.patientId);
      expect(audience.some((row) => row.checkInId === event.subjectId && row.linkId === event.linkId)).toBe(true);
    }
    expect(stream.filter((event) => event.kind === "check_in_replied")).toHaveLength(summary.counts.replies!);
    expect([...new Set(stream.map((event) => event.kind))]).toEqual(
      expect.arrayContaining(["supporter_accepted", "supporter_approved", "circle_approved", "module_assigned", "circle_ended"]),
    );
    expect(stream.every((event) => event.notice !== null && (event.notice === "digest") === (event.digestId !== null))).toBe(
      true,
    );

    const jobs = await runMailJobs(db);
    expect(jobs).toEqual({ decided: 0, digests: 0, sent: 0 });
  });

  it("gives the query planner statistics, so that a supporter's links are found by the supporter's index", async () => {
    const supporter = summary.samples.supporterOfTwoPatients[0]!;
    const plan = async (on: Database = db) =>
      // The proxy over better-sqlite3 gives the plan's rows as arrays (id, parent, not used, detail), libSQL as objects.
      (
        await on.all<unknown>(
          sql`explain query plan select id from circle_links where status in ('active', 'accepted') and supporter_id = ${supporter.membershipId} and program_id = ${summary.programId}`,
        )
      ).map((row): unknown => (Array.isArray(row) ? (row as unknown[])[3] : (row as { detail: string }).detail));
    // Without statistics the planner weighs the program's index and the supporter's alike, and takes the program's.
    expect(await plan()).toEqual([expect.stringContaining("circle_links_program_status_idx")]);
    // As the server opens the database: a connection that has not used any table yet, and plans with what it gathered.
    const opened = await openDatabase(location);
    try {
      await refreshPlannerStatistics(opened, "open");
      expect(await plan(opened.db)).toEqual([expect.stringContaining("circle_links_supporter_idx")]);
    } finally {
      opened.close();
    }
  });

  it("serves the app's pages on it: a sample supporter signs in with the one password and sees their circles", async () => {
    const app = await remixHandler();
    const supporter = summary.samples.supporter[0]!;
    const signIn = await app.fetch(
      new Request(`${testOrigin}/login`, {
        method: "POST",
        headers: { Origin: testOrigin, Host: new URL(testOrigin).host, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ email: supporter.email, password: testPassword }),
        redirect: "manual",
      }),
    );
    expect(signIn.status).toBe(302);
    expect(signIn.headers.get("Location")).toBe("/supporter");
    const cookie = signIn.headers.get("Set-Cookie")!.split(";")[0]!;
    const home = await app.fetch(new Request(`${testOrigin}/supporter`, { headers: { Cookie: cookie } }));
    expect(home.status).toBe(200);
    const page = await home.text();
    const names = await db
      .select({ name: memberships.name })
      .from(circleLinks)
      .innerJoin(memberships, eq(memberships.id, circleLinks.patientId))
      .where(eq(circleLinks.supporterId, supporter.membershipId));
    for (const { name } of names) expect(page).toContain(name);

    for (const [sample, pagePath] of [
      [summary.samples.supporterOfTwoPatients[0]!, "/supporter/updates"],
      [summary.samples.patient[0]!, "/patient/disclosures"],
      [summary.samples.therapist[0]!, "/therapist"],
      [summary.samples.admin[0]!, "/admin/audit"],
    ] as const) {
      expect((await requestAs(app, pagePath, sample.membershipId)).status, pagePath).toBe(200);
    }
  });
});

describe("npm run seed:large", () => {
  const { DATABASE_URL: _url, ...environment } = process.env;
  const seedLarge = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", path.join(projectRoot, "scripts/seed-large.ts"), ...args], {
      cwd: projectRoot,
      env: environment,
      encoding: "utf8",
    });

  it("refuses a database that already holds data, and writes nothing to it", async () => {
    const peopleBefore = await db.$count(people);
    const result = seedLarge("--patients", "2", "--database", process.env.DATABASE_PATH!);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("already holds data");
    expect(await db.$count(people)).toBe(peopleBefore);
  }, 60_000);

  it("builds the same program again with --replace, and prints the password and sample sign-ins", () => {
    const file = path.join(testDatabaseDir, `seed-large-${process.pid}.db`);
    const first = seedLarge("--patients", "3", "--database", file);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain("Every account signs in with the password: care-circle-large");
    expect(first.stdout).toMatch(/supporter:\n {2}supporter-\d+@large\.test/);
    expect(seedLarge("--patients", "3", "--database", file).status).toBe(1);
    const again = seedLarge("--patients", "3", "--database", file, "--replace");
    expect(again.status, again.stderr).toBe(0);
    // Everything but the timing and the random ids is the same: the seed decides it.
    const comparable = (output: string) =>
      output
        .split("\n")
        .slice(1)
        .join("\n")
        .replace(/membership [0-9a-f-]{36}/g, "");
    expect(comparable(again.stdout)).toBe(comparable(first.stdout));
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${file}${suffix}`, { force: true });
    // Three runs of the command, each starting tsx: more than the default 30 s on a busy machine.
  }, 180_000);
});
