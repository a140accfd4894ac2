/**
 * The product's fixed vocabularies: roles, sharing categories, statuses and the like. No database
 * code here, so that components can import them without pulling a database library into the browser
 * bundle; db/schema.ts builds its columns from them.
 */

export const roles = ["admin", "therapist", "patient", "supporter"] as const;
export type Role = (typeof roles)[number];

export const accountStatuses = ["invited", "active", "disabled"] as const;
export type AccountStatus = (typeof accountStatuses)[number];

export const tokenPurposes = ["activation", "password_reset"] as const;
export type TokenPurpose = (typeof tokenPurposes)[number];

export const auditOutcomes = ["success", "failure", "denied"] as const;

/** Every action the audit trail records; each has its label at `audit.action.<action>` in the catalogue. */
export const auditActions = [
  "auth.sign_in",
  "auth.sign_out",
  "auth.left_quickly",
  "account.discreet_changed",
  "account.notifications_changed",
  "account.unsubscribed",
  "auth.session_ended",
  "auth.password_changed",
  "auth.password_reset_requested",
  "auth.password_reset",
  "auth.rate_limited",
  "account.activated",
  "account.created",
  "account.activation_reissued",
  "account.disabled",
  "account.enabled",
  "episode.created",
  "episode.ended",
  "episode.reassigned",
  "module.hidden",
  "module.shown",
  "circle.invited",
  "circle.invitation_resent",
  "circle.invitation_cancelled",
  "circle.accepted",
  "circle.approved",
  "circle.refused",
  "circle.safety_flagged",
  "circle.consent_changed",
  "circle.revoked",
  "circle.expired",
  "learning.assigned",
  "disclosures.exported",
  "audit.exported",
  "family_session.proposed",
  "family_session.changed",
  "family_session.cancelled",
  "family_session.answered",
  "calendar_feed.created",
  "calendar_feed.revoked",
  "calendar_feed.fetched",
  "schedule.group_created",
  "schedule.group_changed",
  "schedule.group_ended",
  "schedule.enrolled",
  "schedule.enrolment_ended",
  "attendance.recorded",
  "authorization.denied",
] as const;
export type AuditAction = (typeof auditActions)[number];

export const relationships = ["parent", "partner", "child", "sibling", "other_family", "friend", "sponsor", "other"] as const;
export type Relationship = (typeof relationships)[number];

/** What a consent may disclose (docs/product.md, "Consent", element 3). */
export const sharingCategories = ["attendance", "progress", "milestones", "education"] as const;
export type SharingCategory = (typeof sharingCategories)[number];

/** The care-circle lifecycle; transitions live in app/models/circle-state.ts. */
export const linkStatuses = ["invited", "accepted", "active", "refused", "revoked", "expired", "cancelled"] as const;
export type LinkStatus = (typeof linkStatuses)[number];

export const consentStatuses = ["active", "superseded", "revoked", "expired", "ended"] as const;
export type ConsentStatus = (typeof consentStatuses)[number];

export const consentExpiryKinds = ["date", "episode_end"] as const;

/** Rows of the accounting of disclosures: something shown to a supporter, or a change of consent. */
export const disclosureKinds = ["disclosure", "consent_signed", "consent_superseded", "consent_ended"] as const;

/** A check-in (mood, craving, words), or a slip told in the patient's own words. */
export const checkInKinds = ["check_in", "slip"] as const;
export type CheckInKind = (typeof checkInKinds)[number];

/** A supporter's short encouragement on a check-in shared with them: a preset or their own words. */
export const replyPresets = ["proud", "thinking_of_you", "here_for_you", "one_day_at_a_time"] as const;
export type ReplyPreset = (typeof replyPresets)[number];

/** What the patient needs from their circle (docs/product.md, "Support plan"). */
export const supportNeeds = ["ride", "hard_day_call", "emergency_contact", "substance_free_home", "other"] as const;
export type SupportNeed = (typeof supportNeeds)[number];

export const supportAskStatuses = ["asked", "accepted", "declined"] as const;
export type SupportAskStatus = (typeof supportAskStatuses)[number];

export const assignerRoles = ["therapist", "patient"] as const;

/** An episode of care: the intensive programme itself, or the aftercare that may follow it. */
export const episodeKinds = ["iop", "aftercare"] as const;
export type EpisodeKind = (typeof episodeKinds)[number];

export const episodeEndReasons = ["completed", "transferred", "left_early"] as const;
export type EpisodeEndReason = (typeof episodeEndReasons)[number];

/** ISO days of the week: 1 is Monday, 7 is Sunday. */
export const weekdays = [1, 2, 3, 4, 5, 6, 7] as const;
export type Weekday = (typeof weekdays)[number];

/** What the therapist records for one patient at one session of a group. */
export const attendanceStatuses = ["attended", "missed", "excused"] as const;
export type AttendanceStatus = (typeof attendanceStatuses)[number];

export const familySessionStatuses = ["scheduled", "cancelled"] as const;
export type FamilySessionStatus = (typeof familySessionStatuses)[number];

/** A supporter's answer to a family-session invitation. */
export const familySessionResponses = ["invited", "accepted", "declined"] as const;
export type FamilySessionResponse = (typeof familySessionResponses)[number];

/** Why a patient of the caseload needs the therapist's attention now (app/models/caseload.server.ts). */
export const attentionReasons = ["missed_session", "craving_rise", "slip", "overdue_module", "pending_approval"] as const;
export type AttentionReason = (typeof attentionReasons)[number];

/**
 * What the stream of events records, as it happens, for one recipient (app/models/events.server.ts).
 * The homes read it now; e-mail notifications and digests read the same rows later.
 */
export const eventKinds = [
  // For a patient: what their supporters did, and what happened to their circle.
  "supporter_accepted",
  "supporter_approved",
  "supporter_refused",
  "supporter_left",
  "supporter_link_ended",
  "check_in_replied",
  "module_finished",
  // For a supporter: what the patient shared or asked of them, and what happened to their place in the circle.
  "circle_approved",
  "circle_ended",
  "check_in_shared",
  "module_assigned",
  // For both.
  "family_session_proposed",
  "family_session_changed",
  "family_session_cancelled",
] as const;
export type EventKind = (typeof eventKinds)[number];

/** The kinds of event each role hears about, in the order the notification settings list them. */
export const eventKindsFor = {
  patient: [
    "supporter_accepted",
    "supporter_approved",
    "supporter_refused",
    "supporter_left",
    "supporter_link_ended",
    "check_in_replied",
    "module_finished",
    "family_session_proposed",
    "family_session_changed",
    "family_session_cancelled",
  ],
  supporter: [
    "circle_approved",
    "circle_ended",
    "check_in_shared",
    "module_assigned",
    "family_session_proposed",
    "family_session_changed",
    "family_session_cancelled",
  ],
} as const satisfies Partial<Record<Role, readonly EventKind[]>>;

/** How a person hears of one kind of event by e-mail (app/models/notifications.server.ts). */
export const deliveries = ["immediate", "digest", "off"] as const;
export type Delivery = (typeof deliveries)[number];

/**
 * What became of an event for e-mail: sent on its own, kept for the digest, not mailed (the person
 * turned the kind off), or hidden (by the time it was looked at, the supporter's consent no longer
 * covered it).
 */
export const eventNotices = ["immediate", "digest", "off", "hidden"] as const;
export type EventNotice = (typeof eventNotices)[number];

/** The states of a mail in the outbox: waiting (for its time, or to be tried again), sent, or given up. */
export const mailStatuses = ["queued", "sent", "failed"] as const;
export type MailStatus = (typeof mailStatuses)[number];

/** The languages Care Circle speaks: every page, e-mail and consent (decision 022). */
export const languages = ["en", "es"] as const;
export type Language = (typeof languages)[number];
