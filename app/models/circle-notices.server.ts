import { notifyCircleChange } from "~/mail.server";
import { findMember } from "~/models/account.server";

/**
 * Who hears of a change in a care circle. Always the neutral nudge ("You have a new message on Care
 * Circle"), sent to the membership's sign-in address; never what changed, nor about whom.
 */
export async function tellMember(membershipId: string | null, kind: "update" | "access_changed") {
  const member = membershipId ? findMember(membershipId) : undefined;
  if (member) await notifyCircleChange({ programId: member.programId, email: member.email, name: member.name }, kind);
}
