import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "~/vocabulary";
import { permissions, type Permission } from "~/policy.server";
import { cookieFor, createProgramWithStaff, testOrigin } from "../support/fixtures";
import { remixHandler, routePaths } from "../support/remix-handler";

/**
 * Every route of the built app, requested anonymously and as each role, GET and POST. A route that
 * is missing from this table fails the test, so a new route cannot escape the policy module.
 */
/** `anyMembership`: a page for the signed-in person whatever role acts (choosing which one does). */
type Access = { permission: Permission } | { public: { get: number; post?: number } } | { anyMembership: true };

const access: Record<string, Access> = {
  "routes/_index": { public: { get: 302 } },
  "routes/login": { public: { get: 200, post: 400 } },
  "routes/logout": { public: { get: 302, post: 302 } },
  "routes/leave": { public: { get: 303, post: 204 } },
  "routes/language": { public: { get: 302, post: 400 } },
  "routes/unsubscribe": { public: { get: 400, post: 400 } },
  "routes/activate": { public: { get: 200, post: 400 } },
  "routes/reset-password": { public: { get: 200, post: 400 } },
  "routes/forgot-password": { public: { get: 200, post: 400 } },
  "routes/healthz": { public: { get: 200 } },
  "routes/privacy": { public: { get: 200 } },
  "routes/account._index": { permission: "account:manage" },
  "routes/account.roles": { anyMembership: true },
  "routes/account.password": { permission: "account:manage" },
  "routes/account.sessions": { permission: "account:manage" },
  "routes/account.discreet": { permission: "account:manage" },
  "routes/account.notifications": { permission: "account:manage" },
  "routes/admin._index": { permission: "admin:home" },
  "routes/admin.therapists.new": { permission: "staff:manage" },
  "routes/admin.patients.new": { permission: "program:enrol-patient" },
  "routes/admin.mailbox": { permission: "mailbox:read" },
  "routes/admin.audit": { permission: "audit:read" },
  "routes/admin.audit[.csv]": { permission: "audit:read" },
  "routes/admin.patients.$patientId": { permission: "episode:manage" },
  "routes/admin.accounts.$accountId.disable": { permission: "staff:manage" },
  "routes/admin.modules": { permission: "program:modules" },
  "routes/therapist._index": { permission: "therapist:home" },
  "routes/therapist.patients.new": { permission: "caseload:enrol-patient" },
  "routes/patient._index": { permission: "patient:home" },
  "routes/supporter._index": { permission: "circle:support" },
  "routes/invitation": { public: { get: 200, post: 400 } },
  "routes/patient.circle._index": { permission: "circle:own" },
  "routes/patient.circle.invite": { permission: "circle:own" },
  "routes/patient.circle.$linkId": { permission: "circle:own" },
  "routes/patient.circle.$linkId_.earlier-check-ins": { permission: "progress:own" },
  "routes/patient.circle.$linkId_.preview": { permission: "circle:own" },
  "routes/patient.disclosures": { permission: "circle:own" },
  "routes/patient.disclosures[.csv]": { permission: "circle:own" },
  "routes/supporter.circles.$linkId._index": { permission: "circle:support" },
  "routes/supporter.circles.$linkId.consent": { permission: "circle:support" },
  "routes/therapist.approvals": { permission: "caseload:decide-circle" },
  "routes/therapist.patients.$patientId": { permission: "caseload:patient" },
  "routes/admin.approvals": { permission: "program:decide-circle" },
  "routes/patient.check-ins._index": { permission: "progress:own" },
  "routes/patient.check-ins.new": { permission: "progress:own" },
  "routes/patient.check-ins.$checkInId": { permission: "progress:own" },
  "routes/supporter.updates": { permission: "circle:support" },
  "routes/therapist.check-ins": { permission: "caseload:check-ins" },
  "routes/patient.milestones": { permission: "progress:own" },
  "routes/patient.support-plan": { permission: "progress:own" },
  "routes/supporter.support-plan": { permission: "circle:support" },
  "routes/supporter.learning._index": { permission: "learning:own" },
  "routes/supporter.learning.library": { permission: "learning:own" },
  "routes/supporter.learning.$slug._index": { permission: "learning:own" },
  "routes/supporter.learning.$slug.sections.$section": { permission: "learning:own" },
  "routes/supporter.learning.$slug.check": { permission: "learning:own" },
  "routes/patient.learning": { permission: "circle:own" },
  "routes/therapist.learning": { permission: "caseload:learning" },
  "routes/therapist.patients.$patientId_.learning": { permission: "caseload:learning" },
  "routes/therapist.patients.$patientId_.family-sessions._index": { permission: "family-sessions:manage" },
  "routes/therapist.patients.$patientId_.family-sessions.$sessionId": { permission: "family-sessions:manage" },
  "routes/patient.family-sessions": { permission: "schedule:own" },
  "routes/supporter.family-sessions": { permission: "circle:support" },
  "routes/family-sessions.$sessionId.calendar[.ics]": { permission: "calendar:own" },
  "routes/therapist.schedule._index": { permission: "schedule:manage" },
  "routes/therapist.schedule.$groupId": { permission: "schedule:manage" },
  "routes/therapist.schedule.$groupId_.attendance": { permission: "attendance:record" },
  "routes/patient.schedule": { permission: "schedule:own" },
  "routes/account.calendar": { permission: "calendar:own" },
  // A feed is fetched without signing in; an unknown token is answered as nothing.
  "routes/calendar.$token.meetings[.ics]": { public: { get: 404 } },
};

const roles: Role[] = ["admin", "therapist", "patient", "supporter"];
let app: Awaited<ReturnType<typeof remixHandler>>;
let cookies: Record<Role, string>;
let paths: Record<string, string>;

beforeAll(async () => {
  app = await remixHandler();
  const world = await createProgramWithStaff();
  cookies = {
    admin: await cookieFor(world.admin.id),
    therapist: await cookieFor(world.therapist.id),
    patient: await cookieFor(world.patient.id),
    supporter: await cookieFor(world.supporter.id),
  };
  paths = routePaths(app.build, () => crypto.randomUUID());
});

function request(path: string, method: "GET" | "POST", cookie?: string) {
  const headers = new Headers({ Origin: testOrigin, Host: new URL(testOrigin).host });
  if (cookie) headers.set("Cookie", cookie);
  return app.fetch(
    new Request(`${testOrigin}${path}`, {
      method,
      headers,
      redirect: "manual",
      ...(method === "POST" ? { body: new URLSearchParams({ intent: "probe" }) } : {}),
    }),
  );
}

describe("every route goes through the policy module", () => {
  it("is listed in the access table (new routes must be added here)", () => {
    const routeIds = Object.keys(app.build.routes).filter((id) => id !== "root");
    expect(routeIds.sort()).toEqual(Object.keys(access).sort());
  });

  for (const [routeId, rule] of Object.entries(access)) {
    describe(routeId, () => {
      if ("public" in rule) {
        it(`answers strangers with ${rule.public.get} on GET`, async () => {
          const response = await request(paths[routeId]!, "GET");
          expect(response.status).toBe(rule.public.get);
        });
        return;
      }

      const allowed = "anyMembership" in rule ? roles : (permissions[rule.permission] as readonly Role[]);
      const hasAction = () => Boolean(app.build.routes[routeId]!.module.action);
      // The walk fills ids with random values: even a role that holds the permission owns no such
      // object, so it must get the same 404 as for a stranger's id.
      const takesId = routeId.includes("$");

      it("sends strangers to sign in, on GET and POST", async () => {
        const path = paths[routeId]!;
        for (const method of ["GET", "POST"] as const) {
          const response = await request(path, method);
          if (method === "POST" && !hasAction()) {
            expect(response.status, "POST to a route without an action").toBe(405);
            continue;
          }
          expect(response.status, method).toBe(302);
          expect(response.headers.get("Location"), method).toMatch(/^\/login\?redirectTo=/);
        }
      });

      for (const role of roles) {
        const isAllowed = allowed.includes(role);
        it(`${isAllowed ? "lets in" : "refuses"} a ${role}`, async () => {
          const path = paths[routeId]!;
          const get = await request(path, "GET", cookies[role]);
          if (isAllowed && takesId) {
            expect(get.status).toBe(404);
            if (hasAction()) expect((await request(path, "POST", cookies[role])).status).toBe(404);
          } else if (isAllowed) {
            expect(get.status).toBe(200);
            if (hasAction()) {
              // A junk form from someone allowed is answered (field errors or a redirect), never a 500.
              const post = await request(path, "POST", cookies[role]);
              expect(post.status).toBeGreaterThanOrEqual(300);
              expect(post.status).toBeLessThan(500);
              expect(post.status).not.toBe(403);
            }
          } else {
            expect(get.status).toBe(403);
            const post = await request(path, "POST", cookies[role]);
            expect(post.status).toBe(hasAction() ? 403 : 405);
          }
        });
      }
    });
  }
});
