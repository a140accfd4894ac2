import type { LinkStatus } from "~/vocabulary";

/**
 * The care-circle lifecycle as one state machine (docs/product.md, "The care-circle lifecycle").
 * Every change of a link's status goes through `assertTransition`; the model refuses anything else.
 */
export type CircleActor = "patient" | "supporter" | "care_team" | "system";

export type Transition = { from: LinkStatus; to: LinkStatus; by: readonly CircleActor[] };

export const transitions: readonly Transition[] = [
  { from: "invited", to: "accepted", by: ["supporter"] },
  { from: "invited", to: "cancelled", by: ["patient"] },
  // The episode the invitation belongs to has ended: the link in the e-mail stops working.
  { from: "invited", to: "expired", by: ["system"] },
  { from: "accepted", to: "active", by: ["care_team"] },
  { from: "accepted", to: "refused", by: ["care_team"] },
  { from: "accepted", to: "revoked", by: ["patient", "supporter", "care_team"] },
  { from: "accepted", to: "expired", by: ["system"] },
  { from: "active", to: "revoked", by: ["patient", "supporter", "care_team"] },
  { from: "active", to: "expired", by: ["system"] },
];

export function canTransition(from: LinkStatus, to: LinkStatus, by: CircleActor): boolean {
  return transitions.some((t) => t.from === from && t.to === to && t.by.includes(by));
}

export class IllegalTransitionError extends Error {
  constructor(
    readonly from: LinkStatus,
    readonly to: LinkStatus,
    readonly by: CircleActor,
  ) {
    super(`A care-circle link cannot go from ${from} to ${to} (by ${by})`);
  }
}

export function assertTransition(from: LinkStatus, to: LinkStatus, by: CircleActor) {
  if (!canTransition(from, to, by)) throw new IllegalTransitionError(from, to, by);
}

/** Links that still hold a place in the circle (one per e-mail address at a time). */
export const openStatuses: readonly LinkStatus[] = ["invited", "accepted", "active"];
