import type { Database } from "#db/database";
import { notifyCircleChange } from "~/mail.server";
import { findMember } from "~/models/account.server";

/**
 * Who hears of a change in a care circle. Always the neutral nudge ("You have a new message on Care
 * Circle"), sent to the membership's sign-in address; never what changed, nor about whom.
 */
export async function tellMember(db: Database, membershipId: string | null, kind: "update" | "access_changed") {
  const member = membershipId ? await findMember(db, membershipId) : undefined;
  if (member) await notifyCircleChange(db, { programId: member.programId, email: member.email, name: member.name }, kind);
}
