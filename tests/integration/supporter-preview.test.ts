import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { circleLinks, disclosureLog } from "#db/schema";
import type { SharingCategory } from "~/vocabulary";
import { revokeLink } from "~/models/care-circle.server";
import { createCheckIn, type CheckInInput } from "~/models/check-in.server";
import { changeConsent } from "~/models/consent.server";
import { setRecoveryStart } from "~/models/milestones.server";
import { addPlanItem } from "~/models/support-plan.server";
import { db } from "../support/database";
import {
  cookieFor,
  createActiveUser,
  createProgramWithStaff,
  joinApproved,
  testOrigin,
  type TestUser,
} from "../support/fixtures";
import { decodeEntities } from "../support/html-forms";
import { remixHandler, requestAs } from "../support/remix-handler";
import { englishLocale } from "~/i18n/i18n";

/**
 * "See what Dana sees": the patient's preview carries exactly the patient data the supporter's own
 * pages carry, for several consent shapes, and writes no disclosure; nobody else reaches it.
 */

let app: Awaited<ReturnType<typeof remixHandler>>;
let world: Awaited<ReturnType<typeof createProgramWithStaff>>;

beforeAll(async () => {
  app = await remixHandler();
  world = await createProgramWithStaff("Preview");
  await setRecoveryStart(db, world.patient, "2026-10-01", "America/Chicago");
});

let sessionDay = 0;
const patientActor = () => ({ id: world.patient.id, programId: world.program.id, ipAddress: null });

const checkIn = (audience: string[], fields: Partial<CheckInInput> = {}): CheckInInput => ({
  kind: "check_in",
  mood: 4,
  craving: 2,
  wins: "A long walk with the dog",
  hard: null,
  helpRequest: null,
  audience,
  sharedWithCareTeam: true,
  ...fields,
});

/** A route's loader data for a signed-in member, as the page renders it. */
async function dataOf(path: string, routeId: string, as: TestUser, params: Record<string, string> = {}) {
  const loader = app.build.routes[routeId]!.module.loader!;
  const request = new Request(`${testOrigin}${path}`, { headers: { Cookie: await cookieFor(as.id) } });
  const loaded = await loader({ request, params, context: { db, cspNonce: "", clientAddress: null } });
  return loaded as Record<string, unknown>;
}

const previewOf = (linkId: string) =>
  dataOf(`/patient/circle/${linkId}/preview`, "routes/patient.circle.$linkId_.preview", world.patient, { linkId });

const disclosures = async () =>
  (await db.select({ n: count() }).from(disclosureLog).where(eq(disclosureLog.patientId, world.patient.id)).get())!.n;

/** A supporter of the world's patient sharing `categories`, with a check-in, a slip, an ask and a family session in their view. */
async function supporterSharing(categories: SharingCategory[]) {
  const supporter = await createActiveUser(world.program.id, "supporter", `preview-${categories.join("-") || "none"}`);
  const linkId = await joinApproved(world.patient, supporter, world.therapist, categories);
  // Check-ins can be shared only with a supporter whose consent includes them.
  const audience = categories.includes("progress") ? [linkId] : [];
  await createCheckIn(db, world.patient, checkIn(audience, { wins: `Shared with ${categories.join(" and ")}` }));
  await createCheckIn(db, world.patient, checkIn(audience, { kind: "slip", wins: null, hard: "A hard evening" }));
  await createCheckIn(db, world.patient, checkIn([], { wins: "Private: for nobody" }));
  await addPlanItem(db, world.patient, { need: "ride", details: "Tuesdays at 6", ask: [linkId] });
  const proposed = await requestAs(app, `/therapist/patients/${world.patient.id}/family-sessions`, world.therapist.id, {
    intent: "propose",
    date: `2027-05-${String(++sessionDay).padStart(2, "0")}`,
    startTime: "18:00",
    endTime: "19:00",
    location: "Room 4",
    videoUrl: "",
    invitees: [linkId],
  });
  expect(proposed.status).toBe(302);
  return { supporter, linkId };
}

describe("the patient's preview of a supporter's pages", () => {
  for (const categories of [
    ["progress"],
    ["milestones", "attendance"],
    ["progress", "milestones", "attendance", "education"],
    ["education"],
  ] as SharingCategory[][]) {
    it(`carries the same patient data as the supporter's own pages when sharing ${categories.join(", ")}`, async () => {
      const { supporter, linkId } = await supporterSharing(categories);

      const before = await disclosures();
      const preview = await previewOf(linkId);
      expect(await disclosures(), "the preview writes no disclosure").toBe(before);

      const circle = await dataOf(`/supporter/circles/${linkId}`, "routes/supporter.circles.$linkId._index", supporter, {
        linkId,
      });
      const updates = await dataOf("/supporter/updates", "routes/supporter.updates", supporter);
      const plan = await dataOf("/supporter/support-plan", "routes/supporter.support-plan", supporter);
      const sessions = await dataOf("/supporter/family-sessions", "routes/supporter.family-sessions", supporter);
      expect(await disclosures(), "the supporter's own pages are logged").toBeGreaterThan(before);

      expect(preview.circle).toEqual(circle);
      expect(preview.asks).toEqual(plan.asks);
      expect(preview.sessions).toEqual(sessions.sessions);
      if (categories.includes("progress")) {
        const shared = (preview.updates as { entries: unknown[] }).entries;
        expect(shared).toEqual(updates.entries);
        expect(shared).toHaveLength(2);
      } else {
        expect(preview.updates).toBeNull();
        expect(updates.entries).toEqual([]);
      }

      // And on the page: what the supporter reads, never the private check-in.
      const html = decodeEntities(await (await requestAs(app, `/patient/circle/${linkId}/preview`, world.patient.id)).text());
      expect(html).toContain(`What ${supporter.name} sees`);
      expect(html).toContain("Tuesdays at 6");
      expect(html).not.toContain("Private: for nobody");
      expect(html.includes(`Shared with ${categories.join(" and ")}`)).toBe(categories.includes("progress"));
      expect(html.includes("days in recovery") || html.includes("day in recovery")).toBe(categories.includes("milestones"));
      // The preview is read-only: none of the supporter's forms (the header's sign-out is outside the page).
      expect(/<main[\s\S]*<\/main>/.exec(html)![0]).not.toMatch(/<form/i);
    });
  }

  it("follows a change of consent at once", async () => {
    const { linkId } = await supporterSharing(["progress", "milestones"]);
    const narrowed = await changeConsent(
      db,
      patientActor(),
      linkId,
      {
        categories: ["milestones"],
        purpose: "Support",
        expiryKind: "episode_end",
        expiresOn: null,
        signature: world.patient.name,
      },
      englishLocale,
    );
    expect(narrowed).not.toBeNull();
    const preview = await previewOf(linkId);
    expect((preview.circle as { categories: string[] }).categories).toEqual(["milestones"]);
    expect(preview.updates).toBeNull();
  });

  it("is the patient's own: another patient, the supporter, the therapist and a link that ended get 404 or 403", async () => {
    const { supporter, linkId } = await supporterSharing(["progress"]);
    const otherPatient = await createActiveUser(world.program.id, "patient", "other-patient");
    const path = `/patient/circle/${linkId}/preview`;
    expect((await requestAs(app, path, otherPatient.id)).status).toBe(404);
    expect((await requestAs(app, path, supporter.id)).status).toBe(403);
    expect((await requestAs(app, path, world.therapist.id)).status).toBe(403);
    expect((await requestAs(app, `/patient/circle/${crypto.randomUUID()}/preview`, world.patient.id)).status).toBe(404);

    const link = (await db.select().from(circleLinks).where(eq(circleLinks.id, linkId)).get())!;
    expect(await revokeLink(db, { actor: patientActor(), as: "patient" }, link)).toBe(true);
    expect((await requestAs(app, path, world.patient.id)).status).toBe(404);
  });
});
