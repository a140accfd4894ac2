import { and, asc, eq, gte, inArray, lt, or, sql } from "drizzle-orm";
import type { Database } from "#db/database";
import { auditEvents, memberships } from "#db/schema";
import type { AuditAction, Role } from "~/vocabulary";

export type { AuditAction } from "~/vocabulary";

export type AuditEntry = {
  action: AuditAction;
  outcome: "success" | "failure" | "denied";
  programId?: string | null;
  actorUserId?: string | null;
  targetType?: string;
  targetId?: string;
  ipAddress?: string | null;
};

/**
 * Appends to the audit trail. Callers inside a transaction pass their transaction so the
 * record commits or rolls back with the change it describes.
 */
export async function recordAudit(db: Database, entry: AuditEntry) {
  await db.insert(auditEvents).values({
    action: entry.action,
    outcome: entry.outcome,
    programId: entry.programId ?? null,
    actorUserId: entry.actorUserId ?? null,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    ipAddress: entry.ipAddress ?? null,
  });
}

export const auditPageSize = 50;

/** What the admin narrowed the trail to: who acted, what they did, and from when until when (exclusive). */
export type AuditFilter = { actorId?: string; action?: AuditAction; from?: Date; until?: Date };

/** The position after the last entry shown, newest first: its time and id (ids break ties within a millisecond). */
export type AuditCursor = { at: number; id: number };

/**
 * Which index serves a filter. Without statistics (no ANALYZE has run) SQLite takes a two-sided date
 * range on the program's index for the narrowest choice even beside a person or an action, and then
 * reads every row of those dates: a year's range read the whole table. Naming the index keeps each
 * filtered page to the rows of that person or action within the dates (migration 0010).
 */
function indexFor(filter: AuditFilter) {
  if (filter.actorId) return "audit_events_actor_idx";
  if (filter.action) return "audit_events_action_idx";
  return "audit_events_program_idx";
}

/** The program's audit trail, newest first, a page at a time (keyset on time, then id within a millisecond). */
export async function auditPage(
  db: Database,
  programId: string,
  filter: AuditFilter = {},
  before?: AuditCursor,
  limit = auditPageSize,
) {
  // SQLite bounds an index range by one upper limit per column, so the last day and the cursor become one
  // (times are whole milliseconds); the tie on id then only drops rows of the cursor's millisecond already shown.
  const ends = [filter.until?.getTime(), before ? before.at + 1 : undefined].filter((end) => end !== undefined);
  const until = ends.length ? new Date(Math.min(...ends)) : undefined;
  const conditions = and(
    eq(auditEvents.programId, programId),
    filter.actorId ? eq(auditEvents.actorUserId, filter.actorId) : undefined,
    filter.action ? eq(auditEvents.action, filter.action) : undefined,
    filter.from ? gte(auditEvents.createdAt, filter.from) : undefined,
    until ? lt(auditEvents.createdAt, until) : undefined,
    before ? or(lt(auditEvents.createdAt, new Date(before.at)), lt(auditEvents.id, before.id)) : undefined,
  );
  // Drizzle's builder cannot name an index, hence this one raw read (columns still come from the schema).
  const rows = await db.values<
    [number, string, AuditEntry["outcome"], string | null, string | null, string | null, Role | null, string | null, number]
  >(sql`
    select ${auditEvents.id}, ${auditEvents.action}, ${auditEvents.outcome}, ${auditEvents.targetType},
      ${auditEvents.targetId}, ${memberships.name}, ${memberships.role}, ${auditEvents.ipAddress}, ${auditEvents.createdAt}
    from ${auditEvents} indexed by ${sql.identifier(indexFor(filter))}
    left join ${memberships} on ${eq(memberships.id, auditEvents.actorUserId)}
    where ${conditions}
    order by ${auditEvents.createdAt} desc, ${auditEvents.id} desc
    limit ${limit + 1}`);
  // libSQL's rows can be indexed but not destructured.
  const events = rows.slice(0, limit).map((row) => ({
    id: row[0],
    action: row[1],
    outcome: row[2],
    targetType: row[3],
    targetId: row[4],
    actorName: row[5],
    actorRole: row[6],
    ipAddress: row[7],
    createdAt: new Date(row[8]),
  }));
  const last = events.at(-1);
  return { events, next: rows.length > limit && last ? { at: last.createdAt.getTime(), id: last.id } : null };
}

/**
 * The whole filtered trail, a batch at a time, for a download that starts before it is all read. Each
 * batch is its own short query, so a long export never holds the database between batches.
 */
export async function* auditBatches(db: Database, programId: string, filter: AuditFilter, batchSize = 500) {
  let before: AuditCursor | undefined;
  do {
    const page = await auditPage(db, programId, filter, before, batchSize);
    if (page.events.length) yield page.events;
    before = page.next ?? undefined;
  } while (before);
}

/**
 * The choices of the person filter: the program's staff, and the person already chosen. A program of
 * thousands of patients and supporters would make a select of everyone megabytes long, so they are
 * chosen from the accounts list ("Audit trail" beside each) and arrive here by id.
 */
export function auditPeople(db: Database, programId: string, chosenId?: string) {
  const staff = inArray(memberships.role, ["admin", "therapist"]);
  return db
    .select({ id: memberships.id, name: memberships.name, role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.programId, programId), chosenId ? or(staff, eq(memberships.id, chosenId)) : staff))
    .orderBy(asc(memberships.role), asc(memberships.name), asc(memberships.id));
}

/** Whether `membershipId` belongs to the program: an id from anywhere else is no one, never someone elsewhere. */
export async function isProgramMembership(db: Database, programId: string, membershipId: string) {
  const row = await db
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.id, membershipId), eq(memberships.programId, programId)))
    .get();
  return Boolean(row);
}
