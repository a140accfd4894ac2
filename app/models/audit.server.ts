import { and, desc, eq, lt } from "drizzle-orm";
import type { Database } from "#db/database";
import { auditEvents, memberships } from "#db/schema";

export type AuditAction =
  | "auth.sign_in"
  | "auth.sign_out"
  | "auth.session_ended"
  | "auth.password_changed"
  | "auth.password_reset_requested"
  | "auth.password_reset"
  | "auth.rate_limited"
  | "account.activated"
  | "account.created"
  | "account.activation_reissued"
  | "account.disabled"
  | "account.enabled"
  | "episode.created"
  | "episode.ended"
  | "circle.invited"
  | "circle.invitation_resent"
  | "circle.invitation_cancelled"
  | "circle.accepted"
  | "circle.approved"
  | "circle.refused"
  | "circle.safety_flagged"
  | "circle.consent_changed"
  | "circle.revoked"
  | "circle.expired"
  | "learning.assigned"
  | "disclosures.exported"
  | "authorization.denied";

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

/** The program's audit trail, newest first, a page at a time (keyset on the id). */
export async function listAuditEvents(db: Database, programId: string, beforeId?: number) {
  const rows = await db
    .select({
      id: auditEvents.id,
      action: auditEvents.action,
      outcome: auditEvents.outcome,
      targetType: auditEvents.targetType,
      actorName: memberships.name,
      actorRole: memberships.role,
      ipAddress: auditEvents.ipAddress,
      createdAt: auditEvents.createdAt,
    })
    .from(auditEvents)
    .leftJoin(memberships, eq(memberships.id, auditEvents.actorUserId))
    .where(and(eq(auditEvents.programId, programId), beforeId ? lt(auditEvents.id, beforeId) : undefined))
    .orderBy(desc(auditEvents.id))
    .limit(auditPageSize + 1);
  return { events: rows.slice(0, auditPageSize), nextBefore: rows.length > auditPageSize ? rows[auditPageSize - 1]!.id : null };
}
