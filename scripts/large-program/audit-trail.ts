import type { AuditAction } from "~/models/audit.server";
import type { MemberPlan, PersonPlan } from "./plan";

export type AuditRow = {
  at: number;
  action: AuditAction;
  outcome: "success" | "failure";
  actorUserId: string | null;
  targetType: string | null;
  targetId: string | null;
  ipAddress: string | null;
};

/**
 * The audit trail as the app writes it, gathered from the whole year and written at the end in time
 * order: the trail is append-only and read newest first by id, so its ids must follow the clock.
 */
export class AuditTrail {
  readonly rows: AuditRow[] = [];

  /** An event done by `actor` (null: the system or the command line). */
  add(at: number, action: AuditAction, actor: MemberPlan | null, target: { type: string; id: string } | null) {
    this.rows.push({
      at,
      action,
      outcome: "success",
      actorUserId: actor?.id ?? null,
      targetType: target?.type ?? null,
      targetId: target?.id ?? null,
      ipAddress: actor?.person.ipAddress ?? null,
    });
  }

  /** A sign-in is written once for each membership the person held then, as `recordPersonAudit` does. */
  signIn(at: number, person: PersonPlan, outcome: "success" | "failure" = "success") {
    for (const membership of person.memberships) {
      if (membership.createdAt > at) continue;
      this.rows.push({
        at,
        action: "auth.sign_in",
        outcome,
        actorUserId: outcome === "success" ? membership.id : null,
        targetType: "user",
        targetId: membership.id,
        ipAddress: person.ipAddress,
      });
    }
  }

  /** Every row, oldest first (events at the same instant keep the order they happened in). */
  inTimeOrder(): AuditRow[] {
    return this.rows.sort((a, b) => a.at - b.at);
  }
}
