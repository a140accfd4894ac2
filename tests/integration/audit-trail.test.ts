import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../support/database";
import { auditEvents, memberships } from "#db/schema";
import { auditBatches, auditPage, type AuditFilter } from "~/models/audit.server";
import { createProgram } from "~/models/program.server";
import { newId } from "~/utils/crypto.server";
import { createActiveUser, createProgramWithStaff, type TestUser } from "../support/fixtures";
import { remixHandler, requestAs } from "../support/remix-handler";

/**
 * The admin's audit trail through the built app and the model: each filter, days in the program's time
 * zone across daylight-saving changes, bad filters answered at the field, two programs kept apart, and
 * the CSV (quoting, formulas defused, streamed in batches, itself audited).
 */
let app: Awaited<ReturnType<typeof remixHandler>>;

type Row = {
  action: string;
  at: string;
  actor?: TestUser | null;
  targetType?: string;
  targetId?: string;
  outcome?: "success" | "failure";
};

async function addEvents(programId: string, rows: Row[]) {
  await db.insert(auditEvents).values(
    rows.map((row) => ({
      programId,
      action: row.action,
      outcome: row.outcome ?? "success",
      actorUserId: row.actor?.id ?? null,
      targetType: row.targetType ?? null,
      targetId: row.targetId ?? null,
      ipAddress: "203.0.113.7",
      createdAt: new Date(row.at),
    })),
  );
}

/** A Los Angeles program with its staff, and a Chicago program beside it. */
async function twoPrograms() {
  const program = await createProgram(db, `Pacific ${newId().slice(0, 6)}`, "America/Los_Angeles");
  const admin = await createActiveUser(program.id, "admin");
  const therapist = await createActiveUser(program.id, "therapist");
  const patient = await createActiveUser(program.id, "patient");
  const staff = await createProgramWithStaff("Elsewhere");
  // Names of their own, so that a page showing one of them is caught.
  for (const member of [staff.admin, staff.therapist, staff.patient, staff.supporter]) {
    member.name = `Elsewhere ${member.role}`;
    await db.update(memberships).set({ name: member.name }).where(eq(memberships.id, member.id));
  }
  return { program, admin, therapist, patient, elsewhere: staff };
}

const allOf = async (programId: string, filter: AuditFilter) => {
  const rows = [];
  for await (const batch of auditBatches(db, programId, filter, 2)) rows.push(...batch);
  return rows;
};

const text = async (response: Response) => {
  expect(response.status).toBe(200);
  return response.text();
};

/** Records of a CSV whose every field is quoted (as ours are), fields unquoted. */
function parseCsv(csv: string): string[][] {
  const records: string[][] = [];
  const field = /"((?:[^"]|"")*)"(,|\r\n)/gy;
  let record: string[] = [];
  for (let match = field.exec(csv); match; match = field.exec(csv)) {
    record.push(match[1]!.replace(/""/g, '"'));
    if (match[2] === "\r\n") {
      records.push(record);
      record = [];
    }
  }
  expect(field.lastIndex === 0 ? csv.length : field.lastIndex, "the whole CSV parsed").toBe(csv.length);
  return records;
}

beforeAll(async () => {
  app = await remixHandler();
});

describe("filters", () => {
  it("narrows to one person, one action, or both, newest first, within the program only", async () => {
    const world = await twoPrograms();
    await addEvents(world.program.id, [
      { action: "auth.sign_in", at: "2026-02-01T17:00:00Z", actor: world.therapist },
      { action: "auth.sign_in", at: "2026-02-02T17:00:00Z", actor: world.patient },
      { action: "circle.invited", at: "2026-02-03T17:00:00Z", actor: world.patient },
      { action: "auth.sign_out", at: "2026-02-04T17:00:00Z", actor: world.therapist },
      { action: "circle.expired", at: "2026-02-05T17:00:00Z", actor: null },
    ]);
    await addEvents(world.elsewhere.program.id, [
      { action: "auth.sign_in", at: "2026-02-03T18:00:00Z", actor: world.elsewhere.patient },
    ]);
    const actions = async (filter: AuditFilter) => (await allOf(world.program.id, filter)).map((event) => event.action);

    expect(await actions({})).toEqual(["circle.expired", "auth.sign_out", "circle.invited", "auth.sign_in", "auth.sign_in"]);
    expect(await actions({ actorId: world.patient.id })).toEqual(["circle.invited", "auth.sign_in"]);
    expect(await actions({ action: "auth.sign_in" })).toEqual(["auth.sign_in", "auth.sign_in"]);
    expect(await actions({ actorId: world.therapist.id, action: "auth.sign_in" })).toEqual(["auth.sign_in"]);
    // A person of the other program finds nothing here, even asked for directly.
    expect(await actions({ actorId: world.elsewhere.patient.id })).toEqual([]);
    expect((await allOf(world.elsewhere.program.id, { action: "auth.sign_in" })).map((event) => event.actorName)).toEqual([
      world.elsewhere.patient.name,
    ]);
  });

  it("counts whole days in the program's time zone, both days included, across daylight-saving changes", async () => {
    const world = await twoPrograms();
    await addEvents(world.program.id, [
      // Los Angeles springs forward on 8 March 2026 (a 23-hour day) and falls back on 1 November (25 hours).
      { action: "auth.sign_in", at: "2026-03-08T07:59:59.999Z", targetId: "7 March, 23:59:59 PST" },
      { action: "auth.sign_in", at: "2026-03-08T08:00:00.000Z", targetId: "8 March, 00:00 PST" },
      { action: "auth.sign_in", at: "2026-03-09T06:59:59.999Z", targetId: "8 March, 23:59:59 PDT" },
      { action: "auth.sign_in", at: "2026-03-09T07:00:00.000Z", targetId: "9 March, 00:00 PDT" },
      { action: "auth.sign_in", at: "2026-11-01T06:59:00.000Z", targetId: "31 October, 23:59 PDT" },
      { action: "auth.sign_in", at: "2026-11-01T07:00:00.000Z", targetId: "1 November, 00:00 PDT" },
      { action: "auth.sign_in", at: "2026-11-02T07:30:00.000Z", targetId: "1 November, 23:30 PST" },
      { action: "auth.sign_in", at: "2026-11-02T08:00:00.000Z", targetId: "2 November, 00:00 PST" },
    ]);
    const page = (query: string) => send(`/admin/audit?${query}`, world.admin).then(text);

    // The page shows times in the program's zone: both entries of the 23-hour day, and nothing either side.
    const march = await page("from=2026-03-08&to=2026-03-08");
    expect(march.match(/Mar 8, 2026/g)).toHaveLength(2);
    expect(march).not.toMatch(/Mar 7, 2026|Mar 9, 2026/);
    const days = async (from: string, to: string) => {
      const csv = await send(`/admin/audit.csv?action=auth.sign_in&from=${from}&to=${to}`, world.admin).then(text);
      return parseCsv(csv)
        .slice(1)
        .map((record) => record[8]);
    };
    expect(await days("2026-03-08", "2026-03-08")).toEqual(["8 March, 23:59:59 PDT", "8 March, 00:00 PST"]);
    expect(await days("2026-11-01", "2026-11-01")).toEqual(["1 November, 23:30 PST", "1 November, 00:00 PDT"]);
    expect(await days("2026-03-07", "2026-03-09")).toHaveLength(4);
    expect(await days("2026-03-09", "2026-10-31")).toEqual(["31 October, 23:59 PDT", "9 March, 00:00 PDT"]);
  });
});

const send = (path: string, user: TestUser) => requestAs(app, path, user.id);

/** The page's answer to bad filters: the message at the field, tied to it, and no entries at all. */
async function expectFieldError(html: string, field: string, message: string) {
  expect(html).toContain(message);
  const control = new RegExp(`<(input|select)[^>]*name="${field}"[^>]*>`).exec(html)?.[0] ?? "";
  expect(control).toContain('aria-invalid="true"');
  const describedBy = /aria-describedby="([^"]+)"/.exec(control)?.[1] ?? "";
  const errorId = describedBy.split(" ").find((id) => id.endsWith("-error"));
  expect(errorId, `aria-describedby of ${field}`).toBeTruthy();
  expect(html).toMatch(new RegExp(`id="${errorId}"[^>]*>${message.replace(/[.()]/g, "\\$&")}<`));
  expect(html).toContain("Correct the filters to see the trail.");
  expect(html).not.toContain("<tbody>");
}

describe("bad filters", () => {
  it("are answered at the field, and nothing is shown filtered otherwise than asked", async () => {
    const world = await twoPrograms();
    await addEvents(world.program.id, [{ action: "auth.sign_in", at: "2026-02-01T17:00:00Z", actor: world.patient }]);
    const page = (query: string) => send(`/admin/audit?${query}`, world.admin).then(text);

    await expectFieldError(await page("from=2026-02-30"), "from", "Enter a real date.");
    await expectFieldError(await page("to=yesterday"), "to", "Enter a real date.");
    await expectFieldError(await page("from=2026-02-02&to=2026-02-01"), "to", "The last day cannot be before the first day.");
    await expectFieldError(await page("action=auth.everything"), "action", "Choose an action from the list.");
    await expectFieldError(await page(`person=${newId()}`), "person", "Choose a person of this program from the list.");
    const both = await page(`from=2026-02-30&person=${newId()}`);
    await expectFieldError(both, "from", "Enter a real date.");
    await expectFieldError(both, "person", "Choose a person of this program from the list.");
    // A person of another program is no one here: the same message, and nothing of theirs.
    await addEvents(world.elsewhere.program.id, [
      { action: "auth.sign_in", at: "2026-02-01T18:00:00Z", actor: world.elsewhere.patient },
    ]);
    const stranger = await page(`person=${world.elsewhere.patient.id}`);
    await expectFieldError(stranger, "person", "Choose a person of this program from the list.");
    expect(stranger).not.toContain(world.elsewhere.patient.name);
    expect((await send(`/admin/audit.csv?person=${world.elsewhere.patient.id}`, world.admin)).status).toBe(400);
    expect((await send("/admin/audit.csv?from=2026-13-01", world.admin)).status).toBe(400);
  });

  it("offers the staff and the chosen person in the person filter, and keeps the filters on the older-entries link", async () => {
    const world = await twoPrograms();
    // Patients and supporters are thousands in a large program: only the one already chosen is an option.
    const otherPatient = await createActiveUser(world.program.id, "patient", "another patient");
    await addEvents(
      world.program.id,
      Array.from({ length: 55 }, (_, index) => ({
        action: "auth.sign_in",
        at: new Date(Date.UTC(2026, 1, 1, 17, index)).toISOString(),
        actor: world.patient,
      })),
    );
    const html = await send(`/admin/audit?person=${world.patient.id}&action=auth.sign_in&from=2026-02-01`, world.admin).then(
      text,
    );
    expect(html).toContain(`${world.patient.name} (Patient)`);
    expect(html).toContain(`${world.therapist.name} (Therapist)`);
    expect(html).not.toContain(world.elsewhere.patient.name);
    expect(html).not.toContain(world.elsewhere.admin.name);
    expect(html).toContain(`<option value="${world.patient.id}"`);
    expect(html).not.toContain(`<option value="${otherPatient.id}"`);
    const everyone = await send("/admin/audit", world.admin).then(text);
    expect(everyone).toContain(`<option value="${world.therapist.id}"`);
    expect(everyone).not.toContain(`<option value="${world.patient.id}"`);
    // The accounts list leads to each person's entries.
    const accounts = await send("/admin", world.admin).then(text);
    expect(accounts).toContain(`href="/admin/audit?person=${world.patient.id}"`);
    const older = /href="\/admin\/audit(\?[^"]*before=[^"]*)"/.exec(html)?.[1]?.replace(/&amp;/g, "&");
    expect(older).toBeDefined();
    const query = new URLSearchParams(older!.slice(1));
    expect(Object.fromEntries(query)).toMatchObject({ person: world.patient.id, action: "auth.sign_in", from: "2026-02-01" });
    const second = await send(`/admin/audit${older}`, world.admin).then(text);
    expect(second.match(/<tr>/g)).toHaveLength(1 + 5);
    // The URL holds ids, actions and dates only: never a name or an e-mail address.
    expect(older).not.toContain(world.patient.email);
    expect(html).toContain(`href="/admin/audit.csv?person=${world.patient.id}&amp;action=auth.sign_in&amp;from=2026-02-01"`);
  });
});

describe("finding a person by e-mail", () => {
  const lookUp = (user: TestUser, email: string) => requestAs(app, "/admin/audit", user.id, { email });

  it("leads to the entries of someone the select does not list, with the address kept out of the URL", async () => {
    const world = await twoPrograms();
    const supporter = await createActiveUser(world.program.id, "supporter");
    const found = await lookUp(world.admin, supporter.email.toUpperCase());
    expect(found.status).toBe(302);
    expect(found.headers.get("Location")).toBe(`/admin/audit?person=${supporter.id}`);
    const page = await send(found.headers.get("Location")!, world.admin).then(text);
    expect(page).toContain(`<option value="${supporter.id}"`);
  });

  it("offers each role of a person who holds several, and tells nobody apart from someone of another program", async () => {
    const world = await twoPrograms();
    const supporterRole = newId();
    await db.insert(memberships).values({
      id: supporterRole,
      personId: world.patient.id,
      programId: world.program.id,
      name: world.patient.name,
      role: "supporter",
      status: "active",
    });
    const several = await lookUp(world.admin, world.patient.email).then(text);
    expect(several).toContain(`href="/admin/audit?person=${world.patient.id}"`);
    expect(several).toContain(`href="/admin/audit?person=${supporterRole}"`);

    for (const email of [world.elsewhere.patient.email, "nobody@example.test"]) {
      const refused = await lookUp(world.admin, email);
      expect(refused.status).toBe(400);
      const html = await refused.text();
      expect(html).toContain("No one in this program uses that e-mail address.");
      expect(html).not.toContain(world.elsewhere.patient.name);
    }
    const malformed = await lookUp(world.admin, "not an address");
    expect(malformed.status).toBe(400);
  });
});

describe("the CSV", () => {
  it("quotes every field, defuses formulas, names no one in its filename, and is not cached", async () => {
    const world = await twoPrograms();
    await db
      .update(memberships)
      .set({ name: '=HYPERLINK("http://evil.test","Click")' })
      .where(eq(memberships.id, world.patient.id));
    await addEvents(world.program.id, [
      {
        action: "auth.sign_in",
        at: "2026-02-01T17:00:00Z",
        actor: world.patient,
        targetType: 'a "quoted", value\nover two lines',
        targetId: "@SUM(1+1)*cmd|' /C calc'!A0",
        outcome: "failure",
      },
    ]);
    const response = await send(`/admin/audit.csv?person=${world.patient.id}`, world.admin);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const disposition = response.headers.get("Content-Disposition")!;
    expect(disposition).toMatch(/^attachment; filename="care-circle-audit-trail-\d{4}-\d{2}-\d{2}\.csv"$/);
    const csv = await text(response);
    expect(
      csv.startsWith(
        '"occurred_at_utc","occurred_at_local","actor_name","actor_role","action","action_label","outcome","target_type","target_id","address"\r\n',
      ),
    ).toBe(true);
    expect(csv).toContain('"2026-02-01T17:00:00.000Z","Feb 1, 2026, 9:00');
    expect(csv).toContain(
      '"\'=HYPERLINK(""http://evil.test"",""Click"")","patient","auth.sign_in","Sign-in","failure","a ""quoted"", value\nover two lines","\'@SUM(1+1)*cmd|\' /C calc\'!A0","203.0.113.7"\r\n',
    );
  });

  it("streams more rows than one batch, reading them a batch at a time", async () => {
    const world = await twoPrograms();
    const total = 1234;
    await addEvents(
      world.program.id,
      Array.from({ length: total }, (_, index) => ({
        action: "auth.sign_in",
        // Several entries share each millisecond, so the keyset's tie on id is exercised at batch edges.
        at: new Date(Date.UTC(2026, 3, 1) + Math.floor(index / 3)).toISOString(),
        actor: world.therapist,
        targetId: String(index),
      })),
    );
    const response = await send("/admin/audit.csv?action=auth.sign_in", world.admin);
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let body = "";
    let chunks = 0;
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      chunks++;
      body += decoder.decode(read.value, { stream: true });
    }
    // The header, then one chunk per batch of 500.
    expect(chunks).toBeGreaterThanOrEqual(4);
    const ids = parseCsv(body)
      .slice(1)
      .map((record) => Number(record[8]));
    expect(ids).toHaveLength(total);
    expect(ids).toEqual(Array.from({ length: total }, (_, index) => total - 1 - index));
  });

  it("is itself written to the audit trail, with the filters it carried", async () => {
    const world = await twoPrograms();
    await text(await send(`/admin/audit.csv?action=circle.invited&from=2026-01-01&to=2026-01-31`, world.admin));
    const exports = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.programId, world.program.id), eq(auditEvents.action, "audit.exported")));
    expect(exports).toHaveLength(1);
    expect(exports[0]).toMatchObject({
      actorUserId: world.admin.id,
      outcome: "success",
      targetType: "audit_filter",
      targetId: "action=circle.invited&from=2026-01-01&to=2026-01-31",
      ipAddress: "127.0.0.1",
    });
    const page = await send("/admin/audit?action=audit.exported", world.admin).then(text);
    expect(page).toContain("Audit trail downloaded");
    // Nothing of it in the other program's trail.
    expect(await allOf(world.elsewhere.program.id, { action: "audit.exported" })).toEqual([]);
  });
});

describe("the page model", () => {
  it("pages by time then id, so entries of one millisecond are neither lost nor repeated", async () => {
    const world = await twoPrograms();
    await addEvents(
      world.program.id,
      Array.from({ length: 7 }, (_, index) => ({
        action: "auth.sign_out",
        at: "2026-05-01T12:00:00.000Z",
        targetId: String(index),
      })),
    );
    await addEvents(world.program.id, [{ action: "auth.sign_out", at: "2026-05-02T12:00:00.000Z", targetId: "the next day" }]);
    // With a last day as well, the cursor and the day's end make one bound: neither may hide the other.
    for (const filter of [{}, { until: new Date("2026-05-02T00:00:00Z") }, { until: new Date("2027-01-01T00:00:00Z") }]) {
      const seen: string[] = [];
      let before;
      do {
        const page = await auditPage(db, world.program.id, { action: "auth.sign_out", ...filter }, before, 3);
        seen.push(...page.events.map((event) => event.targetId!));
        before = page.next ?? undefined;
      } while (before);
      const sameMillisecond = ["6", "5", "4", "3", "2", "1", "0"];
      expect(seen).toEqual(filter.until?.getUTCFullYear() === 2026 ? sameMillisecond : ["the next day", ...sameMillisecond]);
    }
  });
});
