import { eq } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { circleLinks, consents, disclosureLog, educationModules, memberships } from "#db/schema";
import { sharingCategories } from "~/vocabulary";
import { acceptInvitation, invite } from "~/models/invitations.server";
import { addPlanItem } from "~/models/support-plan.server";
import { hashPassword } from "~/models/password.server";
import { createProgram } from "~/models/program.server";
import { newId } from "~/utils/crypto.server";
import { db } from "../support/database";
import { addActiveMember, enrol, joinApproved as joinApprovedIn, seedCircles, type Member } from "../support/circles";
import { cookieFor, testOrigin, testPassword } from "../support/fixtures";
import { browserSubmission, decodeEntities, postForms, type PostForm } from "../support/html-forms";
import { ownedRows, type OwnedRows } from "../support/owned-rows";
import { remixHandler, routePaths } from "../support/remix-handler";
import { actorOf, checkInOf, createCast, familySessionOf, groupOf, invitationFrom, type Cast } from "../support/cast";
import { englishLocale } from "~/i18n/i18n";

/**
 * Hostile input (issue 14): random and hostile values posted to every form action of the built app,
 * signed in as each role and as nobody. The actions are the route modules that export one, and the
 * field names come from the real forms on the pages each role sees, so a new form is covered
 * without editing this file. Every answer must be below 500 and free of stack traces and SQL
 * errors; afterwards, nothing of a bystander patient (and their circle) or of a second program may
 * have changed, and every disclosure in the log must stand on a consent that covered it then.
 *
 * HOSTILE_INPUT_SEED replays a run's choices; HOSTILE_INPUT_RUNS sets the runs per action for a
 * role whose pages show the form (other identities get a quarter as many).
 */
const seed = Number(process.env.HOSTILE_INPUT_SEED ?? Math.floor(Math.random() * 2 ** 31));
const runsPerAction = Number(process.env.HOSTILE_INPUT_RUNS ?? 8);
const replay = `replay with HOSTILE_INPUT_SEED=${seed} HOSTILE_INPUT_RUNS=${runsPerAction}`;

const app = await remixHandler();
/**
 * "Leave quickly" ends the visitor's session whether it is visited or posted to (a page's beacon, not
 * a form, posts to it), and reads nothing sent to it: crawling it would sign the cast out mid-walk.
 * tests/integration/safe-use.test.ts covers it.
 */
const sessionEndingRoutes = new Set(["routes/leave"]);

const actionRouteIds = Object.keys(app.build.routes).filter(
  (id) => app.build.routes[id]!.module.action && !sessionEndingRoutes.has(id),
);

/**
 * The identities take turns in this order. Each action is posted to by a cast of its own, made
 * afresh in the same program, so that no action finds the circle already ended by another. The
 * admin, who may rightly change anyone of the program (the bystander included), comes last, after
 * the bystander is checked.
 */
const identities = ["nobody", "supporter", "therapist", "patient", "admin"] as const;
type Identity = (typeof identities)[number];

// ---------------------------------------------------------------------------------------------
// The world: one program with a bystander patient and their circle, and a second program. The
// people who post (the cast) are made in the first program, next to the bystander.

type World = Awaited<ReturnType<typeof createWorld>>;
let world: World;

const bystanderMarkers = ["Bystander Zephyrine", "Bystander Quillon", "Bystander win: marker 7f3a"];
const otherProgramMarkers = ["Elsewhere Ombeline", "Elsewhere win: marker 9c1d"];

async function createWorld() {
  const program = await createProgram(db, `Hostile input ${newId().slice(0, 6)}`, "America/Chicago");
  // Strangers sign in with a password the fuzzer never sends, so no random sign-in can become them.
  const strangerHash = await hashPassword(`stranger ${newId()}`);
  const stranger = (role: Member["role"], label: string) => addActiveMember(db, program.id, role, label, strangerHash);

  const bystanderTherapist = await stranger("therapist", "bystander-therapist");
  const bystander = await stranger("patient", "bystander");
  const bystanderSupporter = await stranger("supporter", "bystander-supporter");
  const bystanderWaiting = await stranger("supporter", "bystander-waiting");
  bystander.name = bystanderMarkers[0]!;
  bystanderSupporter.name = bystanderMarkers[1]!;
  for (const member of [bystander, bystanderSupporter]) {
    await db.update(memberships).set({ name: member.name }).where(eq(memberships.id, member.id));
  }
  await enrol(db, bystander, bystanderTherapist);
  const bystanderLink = await joinApprovedIn(db, bystander, bystanderSupporter, bystanderTherapist, [...sharingCategories]);
  const bystanderInvite = await invite(
    db,
    actorOf(bystander),
    invitationFrom(bystander, "Bystander waiting", bystanderWaiting.email),
    englishLocale,
  );
  await acceptInvitation(db, bystanderInvite.token, bystanderWaiting, null);
  const bystanderCheckIn = await checkInOf(bystander, bystanderMarkers[2]!, [bystanderLink]);
  const bystanderPlanItem = await addPlanItem(db, bystander, { need: "hard_day_call", details: null, ask: [bystanderLink] });
  const bystanderSession = await familySessionOf(bystanderTherapist, bystander, [bystanderLink]);

  const other = await seedCircles(db, { therapists: 1, patients: 1, supportersPerPatient: 1, passwordHash: strangerHash });
  const otherPatient = other.patients[0]!;
  await db.update(memberships).set({ name: otherProgramMarkers[0] }).where(eq(memberships.id, otherPatient.id));
  const otherLink = otherPatient.links[0]!;
  const otherCheckIn = await checkInOf(otherPatient, otherProgramMarkers[1]!, [otherLink.linkId]);
  const otherGroup = await groupOf(other.therapists[0]!, otherPatient, other.program.timeZone);

  /** Other people's ids, by the name of the route parameter or field that takes them. */
  const strangers: Record<string, string[]> = {
    linkId: [bystanderLink, bystanderInvite.linkId, otherLink.linkId],
    checkInId: [bystanderCheckIn, otherCheckIn],
    patientId: [bystander.id, otherPatient.id],
    userId: [bystander.id, bystanderSupporter.id, bystanderTherapist.id, other.admin.id, otherPatient.id],
    itemId: [bystanderPlanItem],
    sessionId: [bystanderSession],
    groupId: [otherGroup],
  };
  return {
    program,
    strangers,
    strangerIds: Object.values(strangers).flat(),
    slugs: (await db.select({ slug: educationModules.slug }).from(educationModules).all()).map((row) => row.slug).sort(),
    bystander: {
      people: [bystander.id, bystanderSupporter.id, bystanderWaiting.id],
      memberships: [bystander.id, bystanderSupporter.id, bystanderWaiting.id],
    },
    otherProgram: {
      programs: [other.program.id],
      people: [other.admin, ...other.therapists, otherPatient, otherLink.supporter].map((member) => member.id),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Requests, as the app receives them: its own handler, same-origin, a real session.

type Answer = { status: number; location: string | null; body: string };

/** Each member's session cookie, made again when a request has ended it (signing out, ending sessions, a new password). */
const sessionCookies = new Map<string, string>();

async function send(
  member: Member | undefined,
  path: string,
  init: () => { method: string; body?: BodyInit; headers?: Headers },
): Promise<Answer> {
  const attempt = async (cookie: string | undefined) => {
    const { method, body, headers = new Headers() } = init();
    headers.set("Origin", testOrigin);
    headers.set("Host", new URL(testOrigin).host);
    if (cookie) headers.set("Cookie", cookie);
    const response = await app.fetch(new Request(`${testOrigin}${path}`, { method, headers, body, redirect: "manual" }));
    return { status: response.status, location: response.headers.get("Location"), body: await response.text() };
  };
  if (!member) return attempt(undefined);
  const cookie = sessionCookies.get(member.id) ?? (await cookieFor(member.id));
  sessionCookies.set(member.id, cookie);
  const answer = await attempt(cookie);
  if (answer.status !== 302 || !answer.location?.startsWith("/login")) return answer;
  // Sent to sign in: an earlier request ended this session. Once more with a new one, so the request reaches the action.
  sessionCookies.set(member.id, await cookieFor(member.id));
  return attempt(sessionCookies.get(member.id));
}

const memberOf = (cast: Cast, identity: Identity) => (identity === "nobody" ? undefined : cast.members[identity]);

/** What must never reach a browser, whatever was posted. */
const internals: [string, RegExp][] = [
  ["a stack frame", /^\s+at .+(?:\(|:\d+:\d+)/m],
  ["a source position", /\.(?:ts|tsx|js|mjs|cjs):\d+/],
  // Remix's own answers to an address no route matches (404) and to a POST where no route has an
  // action (405) name the address and the route, and nothing of the server: they are not dumps.
  ["an error dump", /\b[A-Z]?[A-Za-z]*Error: (?!No route matches URL|You made a POST request to)/],
  ["SQL error text", /SQLITE_[A-Z]|SqliteError|LibsqlError|no such (?:table|column)|syntax error|constraint failed/i],
];

function assertSafeAnswer(identity: Identity, answer: Answer) {
  expect(answer.status, "an answer below 500").toBeLessThan(500);
  for (const [what, pattern] of internals) expect(pattern.exec(answer.body)?.[0], `no ${what} in the body`).toBeUndefined();
  // The admin of the bystander's program may see their name; nobody may see the other program.
  const markers = identity === "admin" ? otherProgramMarkers : [...bystanderMarkers, ...otherProgramMarkers];
  for (const marker of markers) expect(answer.body.includes(marker), `"${marker}" leaked`).toBe(false);
}

// ---------------------------------------------------------------------------------------------
// The forms each identity's pages show, by the route whose action they post to.

/** `page` is the key of the page it was on (its route and which own ids filled it, or its token link). */
type FoundForm = PostForm & { routeId: string; page: string };

/** Route patterns, to tell which route a form's action reaches (static segments before `:params`). */
const routePatterns = routePaths(app.build, (param) => `:${param}`);
const actionPatterns = actionRouteIds
  .map((id) => ({
    id,
    params: (routePatterns[id]!.match(/:/g) ?? []).length,
    regex: new RegExp(`^${routePatterns[id]!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/:[^/]+/g, "[^/]+")}/?$`),
  }))
  .sort((a, b) => a.params - b.params);

function routeOfAction(action: string) {
  const pathname = new URL(action, testOrigin).pathname;
  return actionPatterns.find((pattern) => pattern.regex.test(pathname))?.id;
}

const paramsOf = (routeId: string) => [...routePatterns[routeId]!.matchAll(/:([^/]+)/g)].map((match) => match[1]!);

/**
 * Every page of the app, filled with the cast's own ids in each combination, and the token links;
 * keyed by route and combination, so that the same page can be found again for another cast.
 */
function pagesOf(cast: Cast) {
  const pages = cast.tokenPages.map((path, index) => ({ key: `token link ${index}`, path }));
  for (const id of Object.keys(app.build.routes)) {
    if (id === "root" || sessionEndingRoutes.has(id)) continue;
    let combinations: Record<string, string>[] = [{}];
    for (const param of paramsOf(id)) {
      const values = cast.ownParams[param] ?? [crypto.randomUUID()];
      combinations = combinations.flatMap((combination) => values.map((value) => ({ ...combination, [param]: value })));
    }
    combinations.forEach((combination, index) => {
      pages.push({ key: `${id} ${index}`, path: routePaths(app.build, (param) => combination[param]!)[id]! });
    });
  }
  return pages;
}

/** Forms posting nowhere, noted while visiting: a form whose action no route handles is a defect. */
const formsWithoutAction = new Set<string>();

/**
 * Links that open a form on a page: confirmation pages (`?confirm=…`: without JavaScript an action that
 * cannot be undone has its form only there) and reply forms rendered on demand (`?reply=…`). They are
 * visited as pages of their own; with the parameter that opened them, for the page's key.
 */
function formOpeningLinks(html: string, path: string) {
  return [...html.matchAll(/href="([^"]*[?&](?:amp;)?(?:confirm|reply)=[^"]*)"/g)].map((match) => {
    const url = new URL(decodeEntities(match[1]!), `${testOrigin}${path}`);
    const opens = [...url.searchParams].find(([name]) => name === "confirm" || name === "reply")!;
    return { path: `${url.pathname}${url.search}`, opens: opens.join(" ") };
  });
}

async function visit(identity: Identity, cast: Cast, pages: { key: string; path: string }[]) {
  const found: FoundForm[] = [];
  const queue = [...pages];
  const queued = new Set(pages.map((page) => page.path));
  for (const page of queue) {
    const answer = await send(memberOf(cast, identity), page.path, () => ({ method: "GET" }));
    assertSafeAnswer(identity, answer);
    if (answer.status !== 200) continue;
    for (const { path, opens } of formOpeningLinks(answer.body, page.path)) {
      if (queued.has(path)) continue;
      queued.add(path);
      queue.push({ key: `${page.key} opening ${opens}`, path });
    }
    for (const form of postForms(answer.body, page.path)) {
      const routeId = routeOfAction(form.action);
      if (routeId) found.push({ ...form, routeId, page: page.key });
      else formsWithoutAction.add(`${form.action} (on ${page.path})`);
    }
  }
  // One of each (a page may list a form per row: keep those, up to a point, for their varied ids).
  const distinct = new Map(
    found.map((form) => [JSON.stringify([form.routeId, form.action, form.controls, form.submitters]), form]),
  );
  return [...distinct.values()];
}

/** The first cast, and the forms each identity's pages showed it: who has a form for which action, and where. */
let firstCast: Cast;
const formsSeen = new Map<Identity, FoundForm[]>();

const formsOf = (identity: Identity, routeId: string) =>
  (formsSeen.get(identity) ?? []).filter((form) => form.routeId === routeId);
const formsForRoute = (routeId: string) => identities.flatMap((identity) => formsOf(identity, routeId));

// ---------------------------------------------------------------------------------------------
// Hostile values.

/** Long strings are costly to send: a few kinds, each 100 000 characters. */
const longStrings = ["a", "é", "🙂", "<", "\u0000", " "].map((unit) => unit.repeat(100_000));

/** Curated nasties; none contains the texts `internals` looks for, since pages may echo what was posted. */
const nastyStrings = [
  "",
  " ",
  "\t\r\n ",
  "\u00a0\u2003\u200b",
  "\u0000",
  "a\u0000b",
  "\u202eevil\u202c",
  "שלום עולם",
  "مرحبا بالعالم",
  "👩‍👩‍👧‍👦🏳️‍🌈",
  "\ud800",
  "x\udc00y",
  "\ufeff\ufffe\uffff",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "{{constructor.constructor('alert(1)')()}}",
  "' OR '1'='1",
  "'; DROP TABLE check_ins; --",
  '" OR 1=1 --',
  "1 UNION SELECT password_hash FROM people",
  "%",
  "_",
  "\\",
  "NaN",
  "Infinity",
  "-Infinity",
  "-1",
  "0",
  "-0",
  "1e309",
  "3.14159",
  "0x1F",
  "99999999999999999999999",
  "9007199254740993",
  "2026-02-30",
  "2026-13-01",
  "0000-00-00",
  "0001-01-01",
  "9999-12-31",
  "+275760-09-13",
  "-271821-04-20",
  "1970-01-01T00:00:00Z",
  "null",
  "undefined",
  "true",
  "[]",
  "{}",
  '{"__proto__":{"isAdmin":true}}',
  "__proto__",
  "../../../etc/passwd",
  "%2e%2e%2f",
  "javascript:alert(1)",
  "//evil.example",
  "/\\evil.example",
  "http://evil.example/",
];

const hostileNames = ["__proto__", "constructor", "prototype", "intent[]", "a".repeat(10_000), "", " ", "\u0000", "toString"];

const outOfRangeDate = fc
  .integer({ min: -300_000, max: 300_000 })
  .map(
    (year) =>
      `${year < 0 ? "-" : ""}${String(Math.abs(year)).padStart(4, "0")}-${["00", "01", "12", "13"][Math.abs(year) % 4]}-31`,
  );

function hostileValue() {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...nastyStrings) },
    { weight: 3, arbitrary: fc.string({ unit: "grapheme", maxLength: 60 }) },
    { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 60 }) },
    { weight: 1, arbitrary: fc.constantFrom(...longStrings) },
    { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.bigInt()).map(String) },
    { weight: 1, arbitrary: outOfRangeDate },
    { weight: 3, arbitrary: fc.constantFrom(...world.strangerIds) },
    { weight: 1, arbitrary: fc.json({ maxDepth: 2 }) },
  );
}

/** A value the control could plausibly carry, to get past the first check and into deeper code. */
function validLooking(control: PostForm["controls"][number], sameName: string[], cast: Cast) {
  const name = control.name.toLowerCase();
  const attribute = (key: string) => (control.attributes[key] === undefined ? undefined : Number(control.attributes[key]));
  if (control.type === "select" && control.options.length > 0) return fc.constantFrom(...control.options);
  if (control.type === "radio" || control.type === "checkbox" || control.type === "submit") return fc.constantFrom(...sameName);
  if (name.includes("token")) return fc.constantFrom(...cast.tokens);
  if (control.type === "email" || name.includes("email")) return fc.constantFrom(...cast.emails, "someone-new@example.test");
  if (control.type === "password" || name.includes("password"))
    return fc.constantFrom(testPassword, "another long password 4711");
  if (name.includes("signature")) return fc.constantFrom(cast.members.patient.name, cast.members.patient.name.toUpperCase());
  if (control.type === "date" || control.name.endsWith("On") || name.includes("date")) {
    return fc
      .date({ min: new Date("2025-06-01"), max: new Date("2027-06-01"), noInvalidDate: true })
      .map((date) => date.toISOString().slice(0, 10));
  }
  if (control.type === "number") return fc.integer({ min: attribute("min") ?? -5, max: attribute("max") ?? 20 }).map(String);
  if (control.type === "hidden") return fc.constantFrom(...sameName, ...world.strangerIds);
  const maxLength = attribute("maxlength") ?? 80;
  return fc.oneof(
    fc.constantFrom("Walked to group", "Sam Okafor", "Support at home", control.value || "ok"),
    fc.string({ minLength: 1, maxLength: Math.min(maxLength, 200) }),
  );
}

type Field = { name: string; values: string[] };

/**
 * What is sent for one field name of the form: as the page rendered it, a plausible value, a
 * hostile one, nothing at all, or the name repeated. Hidden values and named buttons (`intent`,
 * ids) are kept more often than not, so that requests reach the branch they pick.
 */
function fieldArbitrary(form: PostForm, name: string, seenOnRoute: string[], cast: Cast): fc.Arbitrary<Field> {
  const controls = [
    ...form.controls,
    ...form.submitters.map((s) => ({ ...s, type: "submit", checked: true, options: [], attributes: {} })),
  ].filter((control) => control.name === name);
  const rendered = browserSubmission({ ...form, submitters: [] }, undefined)
    .filter(([field]) => field === name)
    .map(([, value]) => value);
  const control = controls[0]!;
  const chooser = control.type === "hidden" || control.type === "submit" || name === "intent";
  const sameName = [...new Set([...controls.map((c) => c.value), ...seenOnRoute])];
  const one = fc.oneof(validLooking(control, sameName, cast), hostileValue());
  return fc
    .oneof(
      { weight: chooser ? 6 : 3, arbitrary: fc.constant(rendered.length > 0 || !chooser ? rendered : [control.value]) },
      { weight: 3, arbitrary: validLooking(control, sameName, cast).map((value) => [value]) },
      { weight: 3, arbitrary: hostileValue().map((value) => [value]) },
      { weight: 1, arbitrary: fc.constant([]) },
      { weight: 1, arbitrary: fc.array(one, { minLength: 2, maxLength: 4 }) },
    )
    .map((values): Field => ({ name, values: [...values] }));
}

const encodings = [
  "urlencoded",
  "multipart",
  "multipart with a file",
  "json",
  "text/plain",
  "no content type",
  "multipart without its boundary",
  "broken percent-encoding",
] as const;
type Encoding = (typeof encodings)[number];

function encode(fields: [string, string][], encoding: Encoding): { body: BodyInit; contentType?: string } {
  const urlencoded = new URLSearchParams(fields);
  switch (encoding) {
    case "urlencoded":
      return { body: urlencoded };
    case "multipart":
    case "multipart with a file": {
      const form = new FormData();
      fields.forEach(([name, value], index) => {
        if (encoding === "multipart with a file" && index === 0)
          form.append(name, new File([value], "upload.txt", { type: "text/plain" }));
        else form.append(name, value);
      });
      return { body: form };
    }
    case "json":
      return { body: JSON.stringify(Object.fromEntries(fields)), contentType: "application/json" };
    case "text/plain":
      return { body: fields.map(([name, value]) => `${name}=${value}`).join("\r\n"), contentType: "text/plain" };
    case "no content type":
      return { body: new TextEncoder().encode(urlencoded.toString()) };
    case "multipart without its boundary":
      return { body: urlencoded.toString(), contentType: "multipart/form-data" };
    case "broken percent-encoding":
      return { body: `${urlencoded.toString()}&%E0%A4%A=%ZZ&=&&==%`, contentType: "application/x-www-form-urlencoded" };
  }
}

type HostileRequest = {
  path: string;
  fields: [string, string][];
  encoding: Encoding;
  acceptLanguage: string | null;
};

/** A path to the route: the form's own, or the route filled with strangers' ids or hostile segments. */
function pathArbitrary(routeId: string, forms: FoundForm[]) {
  const pattern = routePaths(app.build, (param) => `:${param}`)[routeId]!;
  const params = [...pattern.matchAll(/:([^/]+)/g)].map((match) => match[1]!);
  const index = app.build.routes[routeId]!.index ? "?index" : "";
  const own = fc.constantFrom(...forms.map((form) => form.action));
  if (params.length === 0) return own;
  const segment = (param: string) =>
    fc.oneof(
      fc.constantFrom(...(world.strangers[param] ?? world.strangerIds)),
      fc.constantFrom("%00", "..", "%2e%2e", "a".repeat(2_000), "-1", "0", "1.5", "NaN", "%F0%9F%99%82", "'%20OR%201=1"),
    );
  const stranger = fc
    .tuple(...params.map(segment))
    .map((values) => `${routePaths(app.build, (param) => values[params.indexOf(param)]!)[routeId]!}${index}`);
  return fc.oneof({ weight: 3, arbitrary: own }, { weight: 2, arbitrary: stranger });
}

function requestArbitrary(routeId: string, forms: FoundForm[], cast: Cast): fc.Arbitrary<HostileRequest> {
  const seenByName = new Map<string, string[]>();
  for (const form of forms) {
    for (const control of [...form.controls, ...form.submitters]) {
      seenByName.set(control.name, [...new Set([...(seenByName.get(control.name) ?? []), control.value])]);
    }
  }
  const fieldsOf = (form: PostForm) => {
    const fieldNames = [...new Set(form.controls.map((control) => control.name))];
    const buttonNames = [...new Set(form.submitters.map((submitter) => submitter.name))];
    const seen = (name: string) => seenByName.get(name) ?? [];
    // The button pressed, as rendered or mutated like any field; or none (a form sent with Enter, or by a script).
    const pressed: fc.Arbitrary<Field | null> =
      form.submitters.length === 0
        ? fc.constant(null)
        : fc.oneof(
            { weight: 1, arbitrary: fc.constant(null) },
            {
              weight: 4,
              arbitrary: fc.constantFrom(...form.submitters).map((button) => ({ name: button.name, values: [button.value] })),
            },
            {
              weight: 2,
              arbitrary: fc.constantFrom(...buttonNames).chain((name) => fieldArbitrary(form, name, seen(name), cast)),
            },
          );
    return fc
      .tuple(
        fc.tuple(...fieldNames.map((name) => fieldArbitrary(form, name, seen(name), cast))),
        pressed,
        fc.array(fc.tuple(fc.oneof(fc.constantFrom(...hostileNames), fc.string({ maxLength: 12 })), hostileValue()), {
          maxLength: 2,
        }),
        fc.boolean(),
      )
      .map(([fields, button, unknown, reversed]) => {
        const entries = [...fields, ...(button ? [button] : [])].flatMap((field) =>
          field.values.map((value): [string, string] => [field.name, value]),
        );
        entries.push(...unknown);
        return reversed ? entries.reverse() : entries;
      });
  };
  return fc.constantFrom(...forms).chain((form) =>
    fc.record({
      path: pathArbitrary(routeId, forms),
      fields: fieldsOf(form),
      encoding: fc.oneof(
        { weight: 6, arbitrary: fc.constant("urlencoded") },
        { weight: 4, arbitrary: fc.constantFrom(...encodings) },
      ),
      acceptLanguage: fc.constantFrom(null, "en-US", "ar", "*", "zz-@@-invalid", "en;q=abc, de", "a".repeat(4_000)),
    }),
  );
}

/** The request in a failure message, with long values cut so the message stays readable. */
function describeRequest(identity: Identity, request: HostileRequest) {
  const cut = (text: string) => (text.length > 120 ? `${text.slice(0, 120)}… (${text.length} characters)` : text);
  return JSON.stringify(
    {
      identity,
      path: cut(request.path),
      encoding: request.encoding,
      acceptLanguage: request.acceptLanguage && cut(request.acceptLanguage),
      fields: request.fields.map(([name, value]) => [cut(name), cut(value)]),
    },
    null,
    1,
  );
}

function post(member: Member | undefined, request: HostileRequest) {
  return send(member, request.path, () => {
    const { body, contentType } = encode(request.fields, request.encoding);
    const headers = new Headers();
    if (contentType) headers.set("Content-Type", contentType);
    if (request.acceptLanguage) headers.set("Accept-Language", request.acceptLanguage);
    return { method: "POST", body, headers };
  });
}

/**
 * Posts hostile forms to one action as one identity. When the identity's own pages showed a form
 * for it, a new cast is made and its pages read again, so each action starts from the same state
 * (and a seed replays one action alone); anyone else is refused early, and posts the forms others
 * saw, as the first cast, fewer times.
 */
async function fuzzAction(identity: Identity, routeId: string) {
  const ownPages = new Set(formsOf(identity, routeId).map((form) => form.page));
  let cast = firstCast;
  let forms = formsForRoute(routeId);
  if (ownPages.size > 0) {
    cast = await createCast(world.program, world.slugs);
    // A page a link opened (a confirmation, a reply form) is reached again from the page that linked to it.
    const linkedFrom = new Set([...ownPages].map((key) => key.split(" opening ")[0]));
    const pages = pagesOf(cast).filter((page) => linkedFrom.has(page.key));
    forms = (await visit(identity, cast, pages)).filter((form) => form.routeId === routeId);
  }
  expect(forms.length, `a form that posts to ${routeId} (${replay})`).toBeGreaterThan(0);
  const numRuns = ownPages.size > 0 ? runsPerAction : Math.max(1, Math.ceil(runsPerAction / 4));
  const member = memberOf(cast, identity);
  let failure: { request: HostileRequest; answer?: Answer } | undefined;
  // What the server logs as an error (React's rendering warnings included) is a defect even under a 500.
  const logged: string[] = [];
  const consoleError = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    logged.push(args.map(String).join(" "));
  });
  const result = await fc
    .check(
      fc.asyncProperty(requestArbitrary(routeId, forms, cast), async (request) => {
        failure = { request };
        failure.answer = await post(member, request);
        assertSafeAnswer(identity, failure.answer);
        expect(logged, "errors logged while answering").toEqual([]);
        failure = undefined;
      }),
      // The database changes with every request, so a shrunk replay would not meet the same state:
      // the first failing request, in full, is the counterexample.
      { seed: seed + identities.indexOf(identity) * 1_000 + actionRouteIds.indexOf(routeId), numRuns, endOnFailure: true },
    )
    .finally(() => consoleError.mockRestore());
  if (result.failed) {
    const answer = failure?.answer ? `\nanswered ${failure.answer.status}: ${failure.answer.body.slice(0, 1_500)}` : "";
    const request = failure ? describeRequest(identity, failure.request) : "";
    throw new Error(`${String(result.errorInstance)}\n${replay}\n${request}${answer}`);
  }
}

// ---------------------------------------------------------------------------------------------
// After the run: what must not have changed, and what the disclosure log may hold.

async function disclosuresWithoutConsent() {
  const rows = await db.select().from(disclosureLog).where(eq(disclosureLog.kind, "disclosure")).all();
  const consentById = new Map((await db.select().from(consents).all()).map((consent) => [consent.id, consent]));
  const linkById = new Map((await db.select().from(circleLinks).all()).map((link) => [link.id, link]));
  const uncovered = rows.flatMap((row) => {
    const consent = consentById.get(row.consentId);
    const link = linkById.get(row.linkId);
    const first = row.occurredAt.getTime();
    const last = (row.lastOccurredAt ?? row.occurredAt).getTime();
    const problems = [
      !consent && "no such consent",
      consent && (consent.linkId !== row.linkId || consent.patientId !== row.patientId) && "another link's consent",
      consent && row.category !== null && !consent.categories.includes(row.category) && `category ${row.category} not consented`,
      consent && consent.signedAt.getTime() > first && "shown before the consent was signed",
      consent?.endedAt && consent.endedAt.getTime() < last && `shown after the consent ended (${consent.status})`,
      consent?.expiryKind === "date" &&
        consent.expiresOn &&
        row.day &&
        row.day > consent.expiresOn &&
        "shown after the consent expired",
      // Only the invitation itself is shown before the care team approves the link.
      row.itemType !== "invitation" &&
        (!link?.decidedAt || link.decidedAt.getTime() > first || link.status === "refused") &&
        "shown to a supporter the care team had not approved",
    ].filter(Boolean);
    return problems.length > 0 ? [{ id: row.id, itemType: row.itemType, category: row.category, problems }] : [];
  });
  return { checked: rows.length, uncovered };
}

let bystanderBefore: OwnedRows;
let otherProgramBefore: OwnedRows;

beforeAll(async () => {
  world = await createWorld();
  bystanderBefore = await ownedRows(db, world.bystander);
  otherProgramBefore = await ownedRows(db, world.otherProgram);
  firstCast = await createCast(world.program, world.slugs);
  const pages = pagesOf(firstCast);
  for (const identity of identities) formsSeen.set(identity, await visit(identity, firstCast, pages));
}, 120_000);

describe("hostile input to every form action", () => {
  it("finds a form on some page for every route with an action, and none posting nowhere", () => {
    const withoutForm = actionRouteIds.filter((routeId) => formsForRoute(routeId).length === 0);
    expect(withoutForm, "routes with an action but no form on any page (give the cast the rows or link that shows it)").toEqual(
      [],
    );
    expect([...formsWithoutAction], "forms whose action no route handles").toEqual([]);
  });

  it("watches the bystander's rows and the second program's", () => {
    for (const snapshot of [bystanderBefore, otherProgramBefore]) {
      for (const table of ["memberships", "episodes", "circle_links", "consents", "check_ins", "check_in_audience"]) {
        expect(snapshot[table]?.length, table).toBeGreaterThan(0);
      }
    }
  });

  for (const identity of identities) {
    describe(`as ${identity === "nobody" ? "nobody signed in" : `the ${identity}`}`, () => {
      for (const routeId of actionRouteIds) {
        it(`posts hostile forms to ${routeId}`, () => fuzzAction(identity, routeId));
      }
    });

    if (identity === "patient") {
      it("left every row of the bystander patient and their circle as it was (before the admin's turn)", async () => {
        expect(await ownedRows(db, world.bystander), replay).toEqual(bystanderBefore);
      });
    }
  }

  it("left every row of the second program as it was", async () => {
    expect(await ownedRows(db, world.otherProgram), replay).toEqual(otherProgramBefore);
  });

  it("wrote no disclosure that a consent did not cover at the time", async () => {
    const { checked, uncovered } = await disclosuresWithoutConsent();
    expect(uncovered, replay).toEqual([]);
    // The supporters' pages were read: the log holds disclosures, so the check above was not vacuous.
    expect(checked).toBeGreaterThan(0);
  });
});
