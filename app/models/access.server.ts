import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { Database } from "#db/database";
import { circleLinks, disclosureLog, episodes, memberships, programs } from "#db/schema";
import type { SharingCategory } from "~/vocabulary";
import { liveLinksWithConsent, settleExpiry, type LiveLink } from "~/models/circle-link.server";
import { calendarDateIn } from "~/utils/dates";

/**
 * The one answer to "what may this viewer see of this patient now?" (docs/decisions/013-access-module.md).
 *
 * A supporter's view starts from `supporterAccess`: it settles expiry and revocation, then returns the
 * live consent behind one link, or null (the route answers 404). Narrowing it to one sharing category
 * gives a `Capability` for that category alone, and every query that returns patient data to a
 * supporter takes one: it cannot be called without this module having said yes. Those queries hand
 * what they found to `release`, which writes the disclosure log in the same call that returns it.
 *
 * The patient previews what one supporter sees through `previewAccess`: the same value, built from
 * the same consent, marked as a preview so that nothing it shows is written to the disclosure log
 * (it is the patient's own data, shown to the patient).
 *
 * The care team reaches a patient through `careTeamAccess`, a different kind of value, so that a
 * therapist's path can never stand in for a supporter's view, nor the other way round.
 */

declare const granted: unique symbol;

/** A property no other module can write: only this module's `grant` makes these values. */
type Granted<Kind extends string> = { readonly [granted]: Kind };

function grant<Kind extends string, Facts extends object>(facts: Facts) {
  return facts as Granted<Kind> & Facts;
}

/** The acting membership of whoever asks. */
export type Viewer = { id: string; programId: string };

export type ConsentTerm = { kind: "date"; endsOn: string } | { kind: "episode_end" };

/** What one supporter may see of one patient now. Only this module makes one. */
export type SupporterAccess = Granted<"supporter"> & {
  readonly supporterId: string;
  readonly linkId: string;
  readonly programId: string;
  readonly patientId: string;
  readonly patientName: string;
  readonly consentId: string;
  readonly consentVersion: number;
  readonly categories: readonly SharingCategory[];
  readonly until: ConsentTerm;
  readonly timeZone: string;
  /** Shown to the patient as the supporter would see it: what it shows is not a disclosure. */
  readonly preview: boolean;
};

/** Leave to show one category of one patient to one supporter. */
export type Capability<Category extends SharingCategory> = Granted<Category> & {
  readonly category: Category;
  readonly access: SupporterAccess;
};

/** A care-team member's reach to one patient: their primary therapist, or an admin of the program. */
export type CareTeamAccess = Granted<"care_team"> & {
  readonly memberId: string;
  readonly programId: string;
  readonly patientId: string;
  readonly patientName: string;
  readonly timeZone: string;
};

function accessOf(row: LiveLink, preview = false): SupporterAccess {
  return grant<"supporter", Omit<SupporterAccess, typeof granted>>({
    supporterId: row.link.supporterId!,
    linkId: row.link.id,
    programId: row.link.programId,
    patientId: row.link.patientId,
    patientName: row.patientName,
    consentId: row.consentId,
    consentVersion: row.version,
    categories: row.categories,
    until: row.expiryKind === "date" && row.expiresOn ? { kind: "date", endsOn: row.expiresOn } : { kind: "episode_end" },
    timeZone: row.timeZone,
    preview,
  });
}

/** The viewer's own approved links, in their own program, that still hold after expiry is settled. */
async function liveAccesses(db: Database, viewer: Viewer, linkId?: string) {
  const rows = await liveLinksWithConsent(db, { supporterId: viewer.id, programId: viewer.programId, linkId });
  return (await settleExpiry(db, rows)).filter((row) => row.link.status === "active").map((row) => accessOf(row));
}

/**
 * What this supporter may see of this link's patient right now, or null. Called on every request, so
 * a revocation or an expiry takes effect on the supporter's very next one.
 */
export async function supporterAccess(db: Database, viewer: Viewer, linkId: string): Promise<SupporterAccess | null> {
  return (await liveAccesses(db, viewer, linkId))[0] ?? null;
}

/**
 * What the supporter of one of the patient's own links may see of them right now, for the patient's
 * preview ("see what Dana sees"), or null. The link is the patient's by the query itself.
 */
export async function previewAccess(db: Database, patient: Viewer, linkId: string): Promise<SupporterAccess | null> {
  const rows = await liveLinksWithConsent(db, { patientId: patient.id, programId: patient.programId, linkId });
  const live = (await settleExpiry(db, rows)).filter((row) => row.link.status === "active");
  return live[0] ? accessOf(live[0], true) : null;
}

/** Every live access this supporter holds, one per patient they support in the acting program. */
export async function supporterAccesses(db: Database, viewer: Viewer): Promise<SupporterAccess[]> {
  return liveAccesses(db, viewer);
}

/** Leave for one category, or null when the consent does not include it. */
export function narrow<Category extends SharingCategory>(
  access: SupporterAccess,
  category: Category,
): Capability<Category> | null {
  return access.categories.includes(category)
    ? grant<Category, { category: Category; access: SupporterAccess }>({ category, access })
    : null;
}

/** The supporter's leave for one category across every patient whose consent includes it. */
export async function capabilitiesFor<Category extends SharingCategory>(
  db: Database,
  viewer: Viewer,
  category: Category,
): Promise<Capability<Category>[]> {
  return (await supporterAccesses(db, viewer)).flatMap((access) => narrow(access, category) ?? []);
}

/**
 * The patient's approved supporters whose live consent includes `category`: whom the patient may
 * share a check-in with, or a module may be asked of. Expiry is settled first, as for a supporter.
 */
export async function supportersWhoMaySee(db: Database, patientId: string, category: SharingCategory) {
  return (await liveSupportersOf(db, patientId)).filter((supporter) => supporter.categories.includes(category));
}

/**
 * The patient's approved supporters whose consent holds now, whatever it shares: whom the care team
 * may invite to a family session. Expiry is settled first, as for a supporter.
 */
export async function liveSupportersOf(db: Database, patientId: string) {
  return (await settleExpiry(db, await liveLinksWithConsent(db, { patientId })))
    .filter((row) => row.link.status === "active")
    .map((row) => ({
      linkId: row.link.id,
      programId: row.link.programId,
      supporterId: row.link.supporterId!,
      supporterName: row.link.invitedName,
      categories: row.categories,
    }));
}

/** What is written down when something is shown to a supporter. */
export type ReleasedItem =
  | "check_in"
  | "slip"
  | "trend"
  | "program_week"
  | "recovery_days"
  | "module_assignment"
  | "circle_list"
  | "support_plan_item"
  | "invitation"
  | "family_session"
  | "schedule_group"
  | "attendance"
  | "news";

type Release = {
  preview?: boolean;
  link: { id: string; programId: string; patientId: string };
  consentId: string;
  supporterId: string | null;
  timeZone: string;
  category: SharingCategory | null;
  itemType: ReleasedItem;
  itemId: string;
};

/**
 * Writes the accounting of what was shown: one row per consent version, item and day in the
 * program's time zone, counting each further showing that day. A page that shows nothing writes nothing.
 */
async function recordReleases(db: Database, releases: Release[], now = new Date()) {
  const disclosed = releases.filter((release) => !release.preview);
  if (disclosed.length === 0) return;
  const rows = new Map(
    disclosed.map((release) => [
      `${release.consentId}:${release.itemType}:${release.itemId}`,
      {
        programId: release.link.programId,
        patientId: release.link.patientId,
        linkId: release.link.id,
        consentId: release.consentId,
        kind: "disclosure" as const,
        category: release.category,
        itemType: release.itemType,
        itemId: release.itemId,
        actorUserId: release.supporterId,
        occurredAt: now,
        lastOccurredAt: now,
        day: calendarDateIn(release.timeZone, now),
      },
    ]),
  );
  await db
    .insert(disclosureLog)
    .values([...rows.values()])
    .onConflictDoUpdate({
      target: [disclosureLog.consentId, disclosureLog.itemType, disclosureLog.itemId, disclosureLog.day],
      targetWhere: sql`kind = 'disclosure'`,
      set: { count: sql`${disclosureLog.count} + 1`, lastOccurredAt: sql`excluded.last_occurred_at` },
    });
}

function releaseOf(access: SupporterAccess, category: SharingCategory | null, itemType: ReleasedItem, itemId: string): Release {
  return {
    preview: access.preview,
    link: { id: access.linkId, programId: access.programId, patientId: access.patientId },
    consentId: access.consentId,
    supporterId: access.supporterId,
    timeZone: access.timeZone,
    category,
    itemType,
    itemId,
  };
}

/**
 * Hands a supporter what their capabilities' query found, writing each item to the disclosure log
 * in the same call. Each row names its link, and goes out only under that link's capability.
 */
export async function release<Category extends SharingCategory, Row>(
  db: Database,
  capabilities: Capability<Category>[],
  rows: Row[],
  itemOf: (row: Row) => { linkId: string; type: ReleasedItem; id: string },
): Promise<Row[]> {
  const byLink = new Map(capabilities.map((capability) => [capability.access.linkId, capability]));
  await recordReleases(
    db,
    rows.map((row) => {
      const item = itemOf(row);
      const capability = byLink.get(item.linkId);
      if (!capability) throw new Error("A row was released without a capability for its link");
      return releaseOf(capability.access, capability.category, item.type, item.id);
    }),
  );
  return rows;
}

/**
 * Records what a supporter was shown outside any sharing category: the patient's name in their list
 * of circles (and so the fact of treatment), or a support-plan item the patient asked of them.
 */
export async function releaseName(
  db: Database,
  shown: { access: SupporterAccess; itemType: "circle_list" | "support_plan_item"; itemId: string }[],
) {
  await recordReleases(
    db,
    shown.map(({ access, itemType, itemId }) => releaseOf(access, null, itemType, itemId)),
  );
}

/**
 * Hands a supporter the family sessions they are invited to under their live accesses, writing each to
 * the disclosure log in the same call. A session is the care team's meeting about the patient, not
 * one of the categories a consent chooses: the live link alone lets it through, as for the name.
 */
export async function releaseFamilySessions<Row>(
  db: Database,
  accesses: SupporterAccess[],
  rows: Row[],
  itemOf: (row: Row) => { linkId: string; sessionId: string },
): Promise<Row[]> {
  const byLink = new Map(accesses.map((access) => [access.linkId, access]));
  await recordReleases(
    db,
    rows.map((row) => {
      const item = itemOf(row);
      const access = byLink.get(item.linkId);
      if (!access) throw new Error("A family session was released without an access for its link");
      return releaseOf(access, null, "family_session", item.sessionId);
    }),
  );
  return rows;
}

/**
 * Hands a supporter the lines of "what is new" found under their live accesses, writing each to the
 * disclosure log in the same call: a line tells that something was shared or asked, so it needs the live
 * link and, when it has one, its category in that link's consent.
 */
export async function releaseNews<Row>(
  db: Database,
  accesses: SupporterAccess[],
  rows: Row[],
  itemOf: (row: Row) => { linkId: string; category: SharingCategory | null; eventId: string },
): Promise<Row[]> {
  const byLink = new Map(accesses.map((access) => [access.linkId, access]));
  await recordReleases(
    db,
    rows.map((row) => {
      const item = itemOf(row);
      const access = byLink.get(item.linkId);
      if (!access || (item.category && !access.categories.includes(item.category))) {
        throw new Error("A line of news was released without an access that covers it");
      }
      return releaseOf(access, item.category, "news", item.eventId);
    }),
  );
  return rows;
}

/** Records that the invitation page showed the patient's name to whoever holds the link. */
export async function releaseToInvitee(
  db: Database,
  link: { id: string; programId: string; patientId: string },
  consentId: string,
) {
  const program = await db.select({ timeZone: programs.timeZone }).from(programs).where(eq(programs.id, link.programId)).get();
  await recordReleases(db, [
    {
      link,
      consentId,
      supporterId: null,
      timeZone: program?.timeZone ?? "UTC",
      category: null,
      itemType: "invitation",
      itemId: link.id,
    },
  ]);
}

/** The care team of a patient: their primary therapist, or an admin of the program (the program is in each query). */
function isCareTeam(member: Viewer & { role: string }, primaryTherapistId: string) {
  return member.role === "admin" || (member.role === "therapist" && primaryTherapistId === member.id);
}

/** `isCareTeam` as a condition on the episode, for queries that read many patients: the caseload is in the query. */
function careTeamCondition(member: Viewer & { role: string }) {
  if (member.role === "admin") return undefined;
  return member.role === "therapist" ? eq(episodes.primaryTherapistId, member.id) : sql`0`;
}

/**
 * A link of the member's program that they may decide on or end as its patient's care team, whether
 * or not the episode is still open; undefined for anyone else (the route answers 404).
 */
export async function careTeamLink(db: Database, member: Viewer & { role: string }, linkId: string) {
  const row = await db
    .select({ link: circleLinks, therapistId: episodes.primaryTherapistId })
    .from(circleLinks)
    .innerJoin(episodes, eq(episodes.id, circleLinks.episodeId))
    .where(and(eq(circleLinks.id, linkId), eq(circleLinks.programId, member.programId)))
    .get();
  return row && isCareTeam(member, row.therapistId) ? row.link : undefined;
}

/** The care team's reach to each patient with an open episode of the member's program (one, with `patientId`). */
async function careTeamAccesses(db: Database, member: Viewer & { role: string }, patientId?: string): Promise<CareTeamAccess[]> {
  const rows = await db
    .select({
      patientId: memberships.id,
      patientName: memberships.name,
      timeZone: programs.timeZone,
    })
    .from(memberships)
    .innerJoin(episodes, and(eq(episodes.patientId, memberships.id), isNull(episodes.endedAt)))
    .innerJoin(programs, eq(programs.id, memberships.programId))
    .where(
      and(
        patientId === undefined ? undefined : eq(memberships.id, patientId),
        eq(memberships.programId, member.programId),
        eq(memberships.role, "patient"),
        careTeamCondition(member),
      ),
    )
    .orderBy(asc(memberships.name));
  return rows.map((row) =>
    grant<"care_team", Omit<CareTeamAccess, typeof granted>>({
      memberId: member.id,
      programId: member.programId,
      patientId: row.patientId,
      patientName: row.patientName,
      timeZone: row.timeZone,
    }),
  );
}

/**
 * The care team's reach to one patient with an open episode: their primary therapist, or an admin
 * of the patient's program. Anyone else gets null (the route answers 404).
 */
export async function careTeamAccess(
  db: Database,
  member: Viewer & { role: string },
  patientId: string,
): Promise<CareTeamAccess | null> {
  return (await careTeamAccesses(db, member, patientId))[0] ?? null;
}

/** The care team's reach to every patient the member cares for: a therapist's caseload, or an admin's whole program. */
export function careTeamCaseload(db: Database, member: Viewer & { role: string }): Promise<CareTeamAccess[]> {
  return careTeamAccesses(db, member);
}
