import { redirect, type AppLoadContext } from "@remix-run/node";
import type { Role } from "~/vocabulary";
import { recordAudit } from "~/models/audit.server";
import { careTeamAccess } from "~/models/access.server";
import { findLibraryModule } from "~/models/module-library.server";
import { requestLocale } from "~/i18n/locale.server";
import { readSession, type CurrentSession, type PersonSession } from "~/session.server";

/**
 * The one place that answers "may this user do this?". Every loader and action calls it; anything
 * not granted here is refused (deny by default). tests/integration/route-access.test.ts walks every
 * route as every role so that a new route cannot skip it.
 */

export const permissions = {
  /** Own account: password, sessions. */
  "account:manage": ["admin", "therapist", "patient", "supporter"],
  "admin:home": ["admin"],
  "staff:manage": ["admin"],
  /** Enrol a patient with any therapist of the program, from the admin's pages. */
  "program:enrol-patient": ["admin"],
  /** Enrol a patient from the therapist's caseload. */
  "caseload:enrol-patient": ["therapist"],
  "mailbox:read": ["admin"],
  "audit:read": ["admin"],
  "therapist:home": ["therapist"],
  /** Decide on care-circle requests and end links of the therapist's own patients (checked per link). */
  "caseload:decide-circle": ["therapist"],
  /** See a patient of the therapist's caseload, with their circle (checked per patient). */
  "caseload:patient": ["therapist"],
  /** Decide on any care-circle request of the admin's program. */
  "program:decide-circle": ["admin"],
  /** A patient's own care circle, consents and disclosure log. */
  "circle:own": ["patient"],
  /** A supporter's view of the circles they belong to (each read checked against a live consent). */
  "circle:support": ["supporter"],
  /**
   * End a patient's episode (which ends the consents tied to it) or start the next one: an admin of the
   * program, or the patient's primary therapist (checked per patient).
   */
  "episode:manage": ["admin", "therapist"],
  /** The program's weekly groups: create, change, end, enrol patients. */
  "schedule:manage": ["admin", "therapist"],
  /** Record attendance at a group's sessions, for the patients enrolled in it. */
  "attendance:record": ["admin", "therapist"],
  /** A patient's own schedule, attendance and family sessions. */
  "schedule:own": ["patient"],
  /** Propose, change and cancel family sessions of the therapist's own patients (checked per patient). */
  "family-sessions:manage": ["therapist"],
  /** A person's own calendar: the .ics of a session they are part of, and their secret feed address. */
  "calendar:own": ["therapist", "patient", "supporter"],
  /** Hide a module from assignment in the program, or show it again. */
  "program:modules": ["admin"],
  /** A patient's own progress: check-ins and slips (and who sees each), milestones, the support plan. */
  "progress:own": ["patient"],
  /** Check-ins the therapist's own patients shared with the care team (the query names the therapist). */
  "caseload:check-ins": ["therapist"],
  "patient:home": ["patient"],
  /** A supporter's own learning: the library, their modules, attempts and reflections (queries name the supporter). */
  "learning:own": ["supporter"],
  /** Ask a patient's supporters to take modules and see their progress (checked per patient). */
  "caseload:learning": ["therapist"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissions;

export const roleHome: Record<Role, string> = {
  admin: "/admin",
  therapist: "/therapist",
  patient: "/patient",
  supporter: "/supporter",
};

export function can(role: Role, permission: Permission): boolean {
  return (permissions[permission] as readonly Role[]).includes(role);
}

type Args = { request: Request; context: AppLoadContext };

/**
 * The session, read once per request. Remix runs the loaders of a page in parallel, each with a copy of
 * the Request it makes (without `?index`) but all with the one load context, so the read is kept per
 * context for a GET or HEAD: nothing between those loaders can change the session. An action and the
 * loaders after it may (signing out, another role), so a POST keeps it per Request as before.
 */
const sessionOfRequest = new WeakMap<object, Promise<PersonSession | null>>();

export function optionalSession({ request, context }: Args): Promise<PersonSession | null> {
  const key = request.method === "GET" || request.method === "HEAD" ? context : request;
  let session = sessionOfRequest.get(key);
  if (!session) {
    session = readSession(context.db, request);
    sessionOfRequest.set(key, session);
  }
  return session;
}

function pathOf(request: Request) {
  const url = new URL(request.url);
  return `${url.pathname}${url.search}`;
}

/** The signed-in person, whichever membership acts (or none yet), or a redirect to sign in and come back. */
export async function requirePerson({ request, context }: Args): Promise<PersonSession> {
  const session = await optionalSession({ request, context });
  if (session) return session;
  const back = pathOf(request);
  throw redirect(back === "/" ? "/login" : `/login?${new URLSearchParams({ redirectTo: back })}`);
}

/** Where a person with several memberships chooses which one acts, then comes back to `back`. */
export function chooseMembershipPath(back?: string) {
  return back && back !== "/" ? `/account/roles?${new URLSearchParams({ redirectTo: back })}` : "/account/roles";
}

/** The signed-in session with its acting membership; a person who has not chosen one is asked to. */
export async function requireSession(args: Args): Promise<CurrentSession> {
  const session = await requirePerson(args);
  if (session.user) return { ...session, user: session.user };
  throw redirect(chooseMembershipPath(pathOf(args.request)));
}

/**
 * Where to go once a membership acts: the return path if it lies in that role's own area, the
 * account pages or an invitation; the role's home otherwise.
 */
export function landingFor(role: Role, redirectTo: FormDataEntryValue | string | null | undefined) {
  const home = roleHome[role];
  const target = safeRedirectPath(redirectTo, home);
  return [home, "/account", "/invitation?"].some((prefix) => target.startsWith(prefix)) ? target : home;
}

/** The signed-in session of a user whose role holds `permission`; anyone else gets 403, written to the audit trail. */
export async function requirePermission(args: Args, permission: Permission): Promise<CurrentSession> {
  const session = await requireSession(args);
  if (can(session.user.role, permission)) return session;
  await recordAudit(args.context.db, {
    action: "authorization.denied",
    outcome: "denied",
    programId: session.user.programId,
    actorUserId: session.user.id,
    targetType: "permission",
    targetId: permission,
    ipAddress: args.context.clientAddress,
  });
  throw forbidden();
}

export function forbidden() {
  return new Response("Forbidden", { status: 403 });
}

/** For ids that do not exist or that this user may not reach: the same answer, so nothing leaks. */
export function notFound() {
  return new Response("Not Found", { status: 404 });
}

/** A local path to go back to after sign-in; anything else (other sites, protocol-relative) is ignored. */
export function safeRedirectPath(target: FormDataEntryValue | string | null | undefined, fallback: string): string {
  if (typeof target !== "string" || !target.startsWith("/") || target.startsWith("//") || target.startsWith("/\\")) {
    return fallback;
  }
  return target;
}

/** The care team's reach to the patient in the URL (their therapist, or an admin); 404 for anyone else. */
export async function requireCareTeamAccess(args: Args, permission: Permission, patientId: string | undefined) {
  const session = await requirePermission(args, permission);
  const access = patientId ? await careTeamAccess(args.context.db, session.user, patientId) : null;
  if (!access) throw notFound();
  return { session, access };
}

/** A module of the supporter's program library, by the slug in the URL; 404 for any other slug. */
/** A module of the supporter's library, to be read in their language (decision 022), or a 404. */
export async function requireLibraryModule(args: Args & { params: { slug?: string } }) {
  const { user, person } = await requirePermission(args, "learning:own");
  const module = await findLibraryModule(args.context.db, user.programId, args.params.slug ?? "");
  if (!module) throw notFound();
  return { user, module: { ...module, readerLanguage: requestLocale(args.request, person).language } };
}

export function actorOf(session: CurrentSession, context: AppLoadContext) {
  return { id: session.user.id, programId: session.user.programId, ipAddress: context.clientAddress };
}
