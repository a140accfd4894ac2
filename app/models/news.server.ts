import { and, desc, eq, gt, inArray, or, sql, type SQL } from "drizzle-orm";
import type { Database } from "#db/database";
import { educationModules, events, eventsSeen, moduleVersions } from "#db/schema";
import type { EventKind, Language, SharingCategory } from "~/vocabulary";
import { releaseNews, type SupporterAccess, type Viewer } from "~/models/access.server";
import type { NewsLine } from "~/components/news";

/**
 * "What is new": a person's unseen part of the stream of events (events.server.ts), for their home.
 * What a supporter's line may show is decided here, at reading time, by their live accesses: a consent
 * narrowed or ended since the event hides it. "Seen" is one mark per membership, kept on the server.
 */

/** How far back "what is new" reaches for someone who has not been in for a long time. */
const newsWindowMs = 30 * 24 * 60 * 60 * 1000;
/** The most items a home lists at once; the rest are counted. */
export const newsPageSize = 20;

async function seenUntil(db: Database, membershipId: string) {
  const row = await db
    .select({ seenUntil: eventsSeen.seenUntil })
    .from(eventsSeen)
    .where(eq(eventsSeen.membershipId, membershipId))
    .get();
  return row?.seenUntil ?? null;
}

/** Everything up to `until` (the newest item the person was shown) is seen; a later mark never moves it back. */
export async function markNewsSeen(db: Database, membershipId: string, until: Date) {
  await db
    .insert(eventsSeen)
    .values({ membershipId, seenUntil: until })
    .onConflictDoUpdate({
      target: eventsSeen.membershipId,
      set: { seenUntil: sql`max(${eventsSeen.seenUntil}, excluded.seen_until)` },
    });
}

async function unseenWhere(db: Database, viewer: Viewer, visible: SQL | undefined, now: Date) {
  const since = await seenUntil(db, viewer.id);
  const floor = new Date(Math.max(since?.getTime() ?? 0, now.getTime() - newsWindowMs));
  return and(eq(events.recipientId, viewer.id), eq(events.programId, viewer.programId), gt(events.occurredAt, floor), visible);
}

async function unseen(db: Database, where: SQL | undefined) {
  const [rows, [counted]] = await Promise.all([
    db
      .select({
        id: events.id,
        kind: events.kind,
        occurredAt: events.occurredAt,
        linkId: events.linkId,
        subjectId: events.subjectId,
        // Spelled out: Drizzle leaves the columns of a one-table select unqualified, which a subquery would misread.
        patientName: sql<string>`(select m.name from memberships m where m.id = events.patient_id)`,
        supporterName: sql<string | null>`(select l.invited_name from circle_links l where l.id = events.link_id)`,
      })
      .from(events)
      .where(where)
      // Two events of one request can share a millisecond: the row order says which came last.
      .orderBy(desc(events.occurredAt), desc(sql`events.rowid`))
      .limit(newsPageSize),
    db
      .select({ total: sql<number>`count(*)` })
      .from(events)
      .where(where),
  ]);
  return { rows, total: counted?.total ?? 0 };
}

/**
 * The current titles of these modules, by module id: the newest version in the reader's language, else
 * the newest in English (the rows come in that order of preference, so the last one written wins).
 */
async function moduleTitles(db: Database, moduleIds: string[], language: Language) {
  if (moduleIds.length === 0) return new Map<string, { title: string; slug: string }>();
  const rows = await db
    .select({ id: educationModules.id, slug: educationModules.slug, title: moduleVersions.title })
    .from(educationModules)
    .innerJoin(moduleVersions, eq(moduleVersions.moduleId, educationModules.id))
    .where(and(inArray(educationModules.id, moduleIds), inArray(moduleVersions.language, [language, "en"])))
    .orderBy(sql`${moduleVersions.language} = ${language}`, moduleVersions.version);
  return new Map(rows.map((row) => [row.id, { title: row.title, slug: row.slug }]));
}

const moduleKinds: readonly EventKind[] = ["module_assigned", "module_finished"];

/** One line of "what is new": the event, the other party's name, and the module it concerns, if any. */
export type NewsItem = {
  id: string;
  kind: EventKind;
  occurredAt: Date;
  linkId: string | null;
  subjectId: string | null;
  patientName: string;
  supporterName: string | null;
  module: { title: string; slug: string } | null;
};

async function withModules(db: Database, rows: Omit<NewsItem, "module">[], language: Language): Promise<NewsItem[]> {
  const titles = await moduleTitles(
    db,
    rows.flatMap((row) => (moduleKinds.includes(row.kind) && row.subjectId ? [row.subjectId] : [])),
    language,
  );
  return rows.map((row) => ({ ...row, module: (row.subjectId && titles.get(row.subjectId)) || null }));
}

/** What happened in the patient's care circle since they last marked it seen, newest first, modules named in `language`. */
export async function patientNews(db: Database, patient: Viewer, language: Language, now = new Date()) {
  const { rows, total } = await unseen(db, await unseenWhere(db, patient, undefined, now));
  return { items: await withModules(db, rows, language), total };
}

/** The sharing category a supporter's consent must include for each kind they may be told of. */
export const categoryOfKind: Partial<Record<EventKind, SharingCategory>> = {
  check_in_shared: "progress",
  module_assigned: "education",
};
/** Kinds a live link lets through whatever its categories: the approval itself and the care team's meetings. */
const liveLinkKinds: EventKind[] = [
  "circle_approved",
  "family_session_proposed",
  "family_session_changed",
  "family_session_cancelled",
];

/**
 * The events a supporter may be told of now: under a live access whose consent covers the kind (a
 * shared check-in only while it is still shared with them), or that their circle ended. The homes and
 * the e-mail notices (notifications.server.ts) both ask this.
 */
export function visibleToSupporter(accesses: SupporterAccess[]) {
  const underAccess = accesses.map((access) =>
    and(
      eq(events.linkId, access.linkId),
      inArray(events.kind, [
        ...liveLinkKinds,
        ...access.categories.flatMap((category) =>
          Object.entries(categoryOfKind).flatMap(([kind, needs]) => (needs === category ? [kind as EventKind] : [])),
        ),
      ]),
    ),
  );
  const stillShared = or(
    sql`${events.kind} <> 'check_in_shared'`,
    sql`exists (select 1 from check_in_audience a where a.check_in_id = events.subject_id and a.link_id = events.link_id)`,
  );
  return and(or(eq(events.kind, "circle_ended"), ...underAccess), stillShared);
}

/**
 * What is new for a supporter since they last marked it seen, newest first. A row shows only under a
 * live access whose consent covers its kind (a shared check-in only while it is still shared with them),
 * or, for a circle that ended, only that it ended. Each row shown under an access is written to the
 * disclosure log through the access module.
 */
export async function supporterNews(
  db: Database,
  viewer: Viewer,
  accesses: SupporterAccess[],
  language: Language,
  now = new Date(),
) {
  const where = await unseenWhere(db, viewer, visibleToSupporter(accesses), now);
  const [{ rows, total }, sharedByLink] = await Promise.all([
    unseen(db, where),
    db
      .select({ linkId: events.linkId, count: sql<number>`count(*)` })
      .from(events)
      .where(and(where, eq(events.kind, "check_in_shared")))
      .groupBy(events.linkId),
  ]);
  await releaseNews(
    db,
    accesses,
    rows.filter((row) => row.kind !== "circle_ended"),
    (row) => ({ linkId: row.linkId!, category: categoryOfKind[row.kind] ?? null, eventId: row.id }),
  );
  return {
    items: await withModules(db, rows, language),
    total,
    /** Unseen check-ins shared with the supporter, by link: "2 new" beside each person they support. */
    newCheckIns: Object.fromEntries(sharedByLink.map((row) => [row.linkId!, row.count])),
  };
}

/** Where each line of a patient's news leads. */
function patientHref(item: NewsItem) {
  switch (item.kind) {
    case "check_in_replied":
      return `/patient/check-ins/${item.subjectId}`;
    case "module_finished":
      return "/patient/learning";
    case "family_session_proposed":
    case "family_session_changed":
    case "family_session_cancelled":
      return "/patient/family-sessions";
    default:
      return `/patient/circle/${item.linkId}`;
  }
}

/** Where each line of a supporter's news leads. */
function supporterHref(item: NewsItem) {
  switch (item.kind) {
    case "check_in_shared":
      return "/supporter/updates";
    case "module_assigned":
      return item.module ? `/supporter/learning/${item.module.slug}` : "/supporter/learning";
    case "family_session_proposed":
    case "family_session_changed":
    case "family_session_cancelled":
      return "/supporter/family-sessions";
    default:
      return `/supporter/circles/${item.linkId}`;
  }
}

/**
 * The patient's lines. A supporter just approved whose consent shares check-ins (`mayShareCheckIns`, by
 * link) comes with the offer to share earlier check-ins with them: never done for the patient.
 */
export function patientLines(items: NewsItem[], mayShareCheckIns: ReadonlySet<string>): NewsLine[] {
  return items.map((item) => ({
    id: item.id,
    kind: item.kind,
    occurredAt: item.occurredAt.getTime(),
    name: item.supporterName ?? "",
    module: item.module?.title ?? null,
    href: patientHref(item),
    offer:
      item.kind === "supporter_approved" && item.linkId && mayShareCheckIns.has(item.linkId)
        ? { href: `/patient/circle/${item.linkId}/earlier-check-ins`, label: "news.offer.earlierCheckIns" }
        : null,
  }));
}

export function supporterLines(items: NewsItem[]): NewsLine[] {
  return items.map((item) => ({
    id: item.id,
    kind: item.kind,
    occurredAt: item.occurredAt.getTime(),
    name: item.patientName,
    module: item.module?.title ?? null,
    href: supporterHref(item),
    offer: null,
  }));
}
