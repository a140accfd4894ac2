import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import {
  roles,
  accountStatuses,
  tokenPurposes,
  auditOutcomes,
  relationships,
  sharingCategories,
  type SharingCategory,
  linkStatuses,
  consentStatuses,
  consentExpiryKinds,
  disclosureKinds,
  checkInKinds,
  replyPresets,
  supportNeeds,
  supportAskStatuses,
  assignerRoles,
  episodeKinds,
  episodeEndReasons,
  attendanceStatuses,
  familySessionStatuses,
  familySessionResponses,
  eventKinds,
  languages,
  deliveries,
  eventNotices,
  mailStatuses,
} from "../app/vocabulary";

/**
 * Every domain row belongs to a program (the tenant). The few tables without a program id
 * hold pre-authentication state (rate-limit buckets, audit rows for an unknown e-mail).
 * Times are epoch milliseconds unless a column says otherwise.
 */

const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

export const programs = sqliteTable("programs", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  timeZone: text("time_zone").notNull(),
  createdAt: createdAt(),
});

/**
 * A person: one e-mail address, one password, one set of sessions, whatever roles they hold. Until
 * they set a password through their activation link, `password_hash` is null.
 */
export const people = sqliteTable(
  "people",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    passwordHash: text("password_hash"),
    /** Discreet mode: a neutral tab title and icon, neutral e-mails and calendar entries (decision 021). */
    discreet: integer("discreet", { mode: "boolean" }).notNull().default(false),
    /** The language the person chose for pages and e-mails; null until they choose (the browser decides). */
    language: text("language", { enum: languages }),
    /**
     * Quiet hours, "HH:MM-HH:MM" in `time_zone` (else the program's), or "off": e-mail about events waits
     * until they end. Null: the configured default (DEFAULT_QUIET_HOURS).
     */
    quietHours: text("quiet_hours"),
    /** The person's own time zone for quiet hours and the digest; null: their program's. */
    timeZone: text("time_zone"),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
  },
  (table) => [uniqueIndex("people_email_unique").on(table.email)],
);

/**
 * A person's role in one program: patient, supporter, therapist or admin. Everything in the domain
 * (episodes, care-circle links, check-ins, audit rows) belongs to a membership, never to the person,
 * so nothing of one program reaches another. The name is the one this program knows them by.
 */
export const memberships = sqliteTable(
  "memberships",
  {
    id: text("id").primaryKey(),
    personId: text("person_id")
      .notNull()
      .references(() => people.id),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    name: text("name").notNull(),
    role: text("role", { enum: roles }).notNull(),
    status: text("status", { enum: accountStatuses }).notNull().default("invited"),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
  },
  (table) => [
    uniqueIndex("memberships_person_program_role_unique").on(table.personId, table.programId, table.role),
    index("memberships_program_role_idx").on(table.programId, table.role),
  ],
);

/**
 * Signed-in sessions of a person. `id` is the SHA-256 of the cookie token. `membership_id` is the
 * membership acting in this session: null until a person with several chooses one.
 */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    personId: text("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    membershipId: text("membership_id").references(() => memberships.id, { onDelete: "set null" }),
    /** The idle deadline, pushed forward as the session is used. */
    expiresAt: integer("expires_at").notNull(),
    createdAt: integer("created_at").notNull(),
    lastSeenAt: integer("last_seen_at").notNull(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
  },
  (table) => [index("sessions_person_idx").on(table.personId), index("sessions_membership_idx").on(table.membershipId)],
);

/** Single-use links (activation, password reset) for a person. Only the SHA-256 of the token is stored. */
export const accountTokens = sqliteTable(
  "account_tokens",
  {
    id: text("id").primaryKey(),
    personId: text("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: tokenPurposes }).notNull(),
    tokenHash: text("token_hash").notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("account_tokens_hash_unique").on(table.tokenHash),
    index("account_tokens_person_idx").on(table.personId, table.purpose),
  ],
);

/** A patient's time in the IOP. Dates are calendar dates in the program's time zone. */
export const episodes = sqliteTable(
  "episodes",
  {
    id: text("id").primaryKey(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    patientId: text("patient_id")
      .notNull()
      .references(() => memberships.id),
    primaryTherapistId: text("primary_therapist_id")
      .notNull()
      .references(() => memberships.id),
    kind: text("kind", { enum: episodeKinds }).notNull().default("iop"),
    startDate: text("start_date").notNull(),
    plannedWeeks: integer("planned_weeks").notNull(),
    endedAt: integer("ended_at", { mode: "timestamp_ms" }),
    endReason: text("end_reason", { enum: episodeEndReasons }),
    endedBy: text("ended_by").references(() => memberships.id),
    createdAt: createdAt(),
  },
  (table) => [
    index("episodes_therapist_idx").on(table.primaryTherapistId, table.endedAt),
    index("episodes_patient_idx").on(table.patientId),
    // A patient is in at most one episode at a time; a new one starts after the last has ended.
    uniqueIndex("episodes_one_open_per_patient")
      .on(table.patientId)
      .where(sql`ended_at IS NULL`),
  ],
);

/** Append-only (triggers in the migrations refuse UPDATE and DELETE). Never holds the data itself. */
export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    programId: text("program_id").references(() => programs.id),
    actorUserId: text("actor_user_id").references(() => memberships.id),
    action: text("action").notNull(),
    outcome: text("outcome", { enum: auditOutcomes }).notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    ipAddress: text("ip_address"),
    createdAt: createdAt(),
  },
  // Newest first by time, filtered by who or what: each filter of the admin's trail has its own index, so
  // a page reads only the rows it shows however large the program's history.
  (table) => [
    index("audit_events_program_idx").on(table.programId, table.createdAt, table.id),
    index("audit_events_actor_idx").on(table.programId, table.actorUserId, table.createdAt, table.id),
    index("audit_events_action_idx").on(table.programId, table.action, table.createdAt, table.id),
  ],
);

/** Fixed-window counters for rate limits; keys never hold an e-mail address in clear. */
export const rateLimitBuckets = sqliteTable("rate_limit_buckets", {
  key: text("key").primaryKey(),
  windowStartedAt: integer("window_started_at").notNull(),
  count: integer("count").notNull(),
});

/**
 * The outbox: every mail is written here first, composed, then sent by `deliverMail` (tried at once, and
 * again with backoff while the mail server is down; quiet hours set `next_attempt_at` later). Once a
 * real SMTP server took a mail its text and calendar are cleared; without SMTP_URL the sent mail is kept
 * whole for the development mailbox.
 */
export const outboxMessages = sqliteTable(
  "outbox_messages",
  {
    id: text("id").primaryKey(),
    programId: text("program_id").references(() => programs.id),
    toAddress: text("to_address").notNull(),
    /** The sender's display name when it is not MAIL_FROM's own (discreet mode's "Notifications"). */
    senderName: text("sender_name"),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    /** An iCalendar attachment and its file name. */
    calendar: text("calendar"),
    calendarFile: text("calendar_file"),
    /** The one-click unsubscribe address (List-Unsubscribe, RFC 8058), for mail about events. */
    unsubscribeUrl: text("unsubscribe_url"),
    status: text("status", { enum: mailStatuses }).notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" })
      .notNull()
      .default(sql`0`),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (table) => [
    index("outbox_program_idx").on(table.programId, table.createdAt),
    index("outbox_due_idx").on(table.status, table.nextAttemptAt),
  ],
);

/**
 * One supporter's place in one patient's care circle, from invitation to its end. The invitation
 * token is stored only as a hash; re-sending replaces it, so the old link dies.
 */
export const circleLinks = sqliteTable(
  "circle_links",
  {
    id: text("id").primaryKey(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    patientId: text("patient_id")
      .notNull()
      .references(() => memberships.id),
    episodeId: text("episode_id")
      .notNull()
      .references(() => episodes.id),
    supporterId: text("supporter_id").references(() => memberships.id),
    invitedName: text("invited_name").notNull(),
    invitedEmail: text("invited_email").notNull(),
    relationship: text("relationship", { enum: relationships }).notNull(),
    status: text("status", { enum: linkStatuses }).notNull().default("invited"),
    invitationTokenHash: text("invitation_token_hash"),
    invitationExpiresAt: integer("invitation_expires_at", { mode: "timestamp_ms" }),
    invitedAt: integer("invited_at", { mode: "timestamp_ms" }).notNull(),
    acceptedAt: integer("accepted_at", { mode: "timestamp_ms" }),
    decidedAt: integer("decided_at", { mode: "timestamp_ms" }),
    decidedBy: text("decided_by").references(() => memberships.id),
    /** Shown to the patient when the therapist refuses. */
    refusalReason: text("refusal_reason"),
    /** A safety concern: refuses the link; its note is for the care team only, never the supporter. */
    safetyConcern: integer("safety_concern", { mode: "boolean" }).notNull().default(false),
    safetyNote: text("safety_note"),
    endedAt: integer("ended_at", { mode: "timestamp_ms" }),
    endedBy: text("ended_by").references(() => memberships.id),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [
    uniqueIndex("circle_links_invitation_token_unique").on(table.invitationTokenHash),
    index("circle_links_patient_idx").on(table.patientId, table.status),
    index("circle_links_supporter_idx").on(table.supporterId, table.status),
    index("circle_links_program_status_idx").on(table.programId, table.status),
    // A therapist's caseload reaches its circles through the episodes they hold.
    index("circle_links_episode_idx").on(table.episodeId, table.status),
    index("circle_links_patient_email_idx").on(table.patientId, table.invitedEmail),
  ],
);

/**
 * A signed Part 2 consent. Versioned, never edited: the elements are fixed by a trigger; only the
 * status columns change when a newer version supersedes it or the link ends.
 */
export const consents = sqliteTable(
  "consents",
  {
    id: text("id").primaryKey(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    linkId: text("link_id")
      .notNull()
      .references(() => circleLinks.id),
    patientId: text("patient_id")
      .notNull()
      .references(() => memberships.id),
    version: integer("version").notNull(),
    /** 1. the patient's name */
    patientName: text("patient_name").notNull(),
    /** 2. who discloses */
    disclosingProgram: text("disclosing_program").notNull(),
    /** 3. what information: a JSON array of sharing categories, never empty */
    categories: text("categories", { mode: "json" }).$type<SharingCategory[]>().notNull(),
    /** 4. the recipient */
    recipientName: text("recipient_name").notNull(),
    recipientEmail: text("recipient_email").notNull(),
    recipientRelationship: text("recipient_relationship", { enum: relationships }).notNull(),
    /** 5. the purpose */
    purpose: text("purpose").notNull(),
    /** 6. the right to revoke, its exception, and how */
    revocationStatement: text("revocation_statement").notNull(),
    /** 7. the expiry: a date (in the program's time zone) or the end of the IOP episode */
    expiryKind: text("expiry_kind", { enum: consentExpiryKinds }).notNull(),
    expiresOn: text("expires_on"),
    episodeId: text("episode_id")
      .notNull()
      .references(() => episodes.id),
    /** 8. the patient's signature (typed full name) */
    signature: text("signature").notNull(),
    /** 9. the date signed */
    signedAt: integer("signed_at", { mode: "timestamp_ms" }).notNull(),
    /** The whole consent exactly as the patient saw it before signing. */
    text: text("text").notNull(),
    /** The language of `text`, the one it was signed in: a reader of another gets a marked courtesy translation. */
    language: text("language", { enum: languages }).notNull().default("en"),
    status: text("status", { enum: consentStatuses }).notNull().default("active"),
    endedAt: integer("ended_at", { mode: "timestamp_ms" }),
  },
  (table) => [
    // A consent missing any required element cannot be saved, whatever the code above it does.
    check(
      "consents_elements_present",
      sql`length(trim(${table.patientName})) > 0 AND length(trim(${table.disclosingProgram})) > 0
        AND json_array_length(${table.categories}) > 0 AND length(trim(${table.recipientName})) > 0
        AND length(trim(${table.recipientEmail})) > 0 AND length(trim(${table.purpose})) > 0
        AND length(trim(${table.revocationStatement})) > 0 AND length(trim(${table.signature})) > 0
        AND length(trim(${table.text})) > 0
        AND (${table.expiryKind} = 'episode_end' OR ${table.expiresOn} IS NOT NULL)`,
    ),
    uniqueIndex("consents_link_version_unique").on(table.linkId, table.version),
    index("consents_link_status_idx").on(table.linkId, table.status),
    index("consents_patient_idx").on(table.patientId, table.signedAt),
  ],
);

/**
 * The accounting of disclosures (42 CFR 2.24): what each supporter was shown, and every change of
 * consent. A shown item is one row per consent version and day, with how many times it was shown
 * and when first and last, so the log grows with what was shared, not with page views.
 * Append-only but for that count (triggers in the migrations).
 */
export const disclosureLog = sqliteTable(
  "disclosure_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    patientId: text("patient_id")
      .notNull()
      .references(() => memberships.id),
    linkId: text("link_id")
      .notNull()
      .references(() => circleLinks.id),
    consentId: text("consent_id")
      .notNull()
      .references(() => consents.id),
    kind: text("kind", { enum: disclosureKinds }).notNull(),
    /** For disclosures: the category and the item read (never the item's content). */
    category: text("category", { enum: sharingCategories }),
    itemType: text("item_type"),
    itemId: text("item_id"),
    /** For consent changes: what happened (signed, superseded, revoked, expired, refused…). */
    detail: text("detail"),
    actorUserId: text("actor_user_id").references(() => memberships.id),
    /** For disclosures, the first time that day; for consent changes, when it happened. */
    occurredAt: integer("occurred_at", { mode: "timestamp_ms" }).notNull(),
    /** For disclosures: the calendar day (program's time zone), the times shown that day, and the last. */
    day: text("day"),
    count: integer("count").notNull().default(1),
    lastOccurredAt: integer("last_occurred_at", { mode: "timestamp_ms" }),
  },
  (table) => [
    index("disclosure_log_patient_idx").on(table.patientId, table.occurredAt, table.id),
    uniqueIndex("disclosure_log_item_day_unique")
      .on(table.consentId, table.itemType, table.itemId, table.day)
      .where(sql`kind = 'disclosure'`),
  ],
);

/**
 * A patient's check-in (mood, craving, words), or a slip told in their own words. Private unless the
 * patient picks an audience: supporters by link (`check_in_audience`) and, separately, the care team.
 */
export const checkIns = sqliteTable(
  "check_ins",
  {
    id: text("id").primaryKey(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    patientId: text("patient_id")
      .notNull()
      .references(() => memberships.id),
    kind: text("kind", { enum: checkInKinds }).notNull().default("check_in"),
    /** 1 (very low) to 5 (very good) */
    mood: integer("mood"),
    /** 0 (none) to 10 (strongest) */
    craving: integer("craving"),
    wins: text("wins"),
    hard: text("hard"),
    helpRequest: text("help_request"),
    sharedWithCareTeam: integer("shared_with_care_team", { mode: "boolean" }).notNull().default(true),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [
    check("check_ins_mood_range", sql`${table.mood} IS NULL OR ${table.mood} BETWEEN 1 AND 5`),
    check("check_ins_craving_range", sql`${table.craving} IS NULL OR ${table.craving} BETWEEN 0 AND 10`),
    index("check_ins_patient_idx").on(table.patientId, table.createdAt),
    index("check_ins_care_team_idx").on(table.programId, table.sharedWithCareTeam, table.createdAt, table.id),
  ],
);

/** Which supporters (by their link) a check-in is shared with. Revoking the link hides it at once. */
export const checkInAudience = sqliteTable(
  "check_in_audience",
  {
    checkInId: text("check_in_id")
      .notNull()
      .references(() => checkIns.id, { onDelete: "cascade" }),
    linkId: text("link_id")
      .notNull()
      .references(() => circleLinks.id),
    /** Copied from the check-in so that a supporter's feed is one index range, newest first. */
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [
    uniqueIndex("check_in_audience_unique").on(table.checkInId, table.linkId),
    index("check_in_audience_link_idx").on(table.linkId, table.createdAt, table.checkInId),
  ],
);

export const checkInReplies = sqliteTable(
  "check_in_replies",
  {
    id: text("id").primaryKey(),
    checkInId: text("check_in_id")
      .notNull()
      .references(() => checkIns.id, { onDelete: "cascade" }),
    linkId: text("link_id")
      .notNull()
      .references(() => circleLinks.id),
    supporterId: text("supporter_id")
      .notNull()
      .references(() => memberships.id),
    preset: text("preset", { enum: replyPresets }),
    message: text("message"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [
    check("check_in_replies_content", sql`${table.preset} IS NOT NULL OR length(trim(${table.message})) > 0`),
    index("check_in_replies_check_in_idx").on(table.checkInId, table.createdAt),
  ],
);

/** The date the patient counts their recovery from, if they chose to track it. */
export const recoveryStarts = sqliteTable("recovery_starts", {
  patientId: text("patient_id")
    .primaryKey()
    .references(() => memberships.id),
  programId: text("program_id")
    .notNull()
    .references(() => programs.id),
  startDate: text("start_date").notNull(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});

export const supportPlanItems = sqliteTable(
  "support_plan_items",
  {
    id: text("id").primaryKey(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    patientId: text("patient_id")
      .notNull()
      .references(() => memberships.id),
    need: text("need", { enum: supportNeeds }).notNull(),
    details: text("details"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [index("support_plan_items_patient_idx").on(table.patientId, table.createdAt)],
);

/** The patient asks one active supporter to take on a plan item; the supporter accepts or declines. */
export const supportPlanAsks = sqliteTable(
  "support_plan_asks",
  {
    itemId: text("item_id")
      .notNull()
      .references(() => supportPlanItems.id, { onDelete: "cascade" }),
    linkId: text("link_id")
      .notNull()
      .references(() => circleLinks.id),
    status: text("status", { enum: supportAskStatuses }).notNull().default("asked"),
    askedAt: integer("asked_at", { mode: "timestamp_ms" }).notNull(),
    respondedAt: integer("responded_at", { mode: "timestamp_ms" }),
  },
  (table) => [
    uniqueIndex("support_plan_asks_unique").on(table.itemId, table.linkId),
    index("support_plan_asks_link_idx").on(table.linkId, table.status),
  ],
);

/**
 * The education library (docs/product.md, "Education modules"). A module is its slug; its content lives
 * in versions, which are never edited: editing the content file publishes a new version, and
 * everything a supporter does stays tied to the version they took (app/models/module-library.server.ts).
 */
export const educationModules = sqliteTable(
  "education_modules",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    /** Null for the library every program shares; a program's own modules carry its id. */
    programId: text("program_id").references(() => programs.id),
    position: integer("position").notNull(),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex("education_modules_slug_unique").on(table.slug)],
);

export type ModuleSection = { heading: string; body: string };
export type QuizOption = { id: string; text: string; explanation: string };
export type QuizQuestion = { id: string; question: string; options: QuizOption[]; answer: string };

export const moduleVersions = sqliteTable(
  "module_versions",
  {
    id: text("id").primaryKey(),
    moduleId: text("module_id")
      .notNull()
      .references(() => educationModules.id),
    version: integer("version").notNull(),
    /** Each language of a module is a version of its own, numbered on its own (decision 022). */
    language: text("language", { enum: languages }).notNull().default("en"),
    title: text("title").notNull(),
    summary: text("summary").notNull(),
    readingMinutes: integer("reading_minutes").notNull(),
    reflectionPrompt: text("reflection_prompt").notNull(),
    practice: text("practice").notNull(),
    /** Markdown, one entry per section, in reading order. */
    sections: text("sections", { mode: "json" }).$type<ModuleSection[]>().notNull(),
    /** The knowledge check with its answer key: read only on the server. */
    quiz: text("quiz", { mode: "json" }).$type<QuizQuestion[]>().notNull(),
    /** SHA-256 of the parsed content, to tell an edit from an unchanged file. */
    contentHash: text("content_hash").notNull(),
    publishedAt: integer("published_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [uniqueIndex("module_versions_module_language_version_unique").on(table.moduleId, table.language, table.version)],
);

/** A module asked of one supporter through their care-circle link: by the therapist, or suggested by the patient. */
export const moduleAssignments = sqliteTable(
  "module_assignments",
  {
    id: text("id").primaryKey(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    moduleId: text("module_id")
      .notNull()
      .references(() => educationModules.id),
    linkId: text("link_id")
      .notNull()
      .references(() => circleLinks.id),
    assignedBy: text("assigned_by")
      .notNull()
      .references(() => memberships.id),
    assignedByRole: text("assigned_by_role", { enum: assignerRoles }).notNull(),
    /** A calendar date in the program's time zone, or none. */
    dueOn: text("due_on"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [
    uniqueIndex("module_assignments_link_module_unique").on(table.linkId, table.moduleId),
    index("module_assignments_program_due_idx").on(table.programId, table.dueOn),
  ],
);

/**
 * A supporter's own learning of one module version. It belongs to the supporter, not to a link:
 * it outlives every care circle they leave.
 */
export const learningRecords = sqliteTable(
  "learning_records",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => memberships.id),
    moduleId: text("module_id")
      .notNull()
      .references(() => educationModules.id),
    versionId: text("version_id")
      .notNull()
      .references(() => moduleVersions.id),
    startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
    completedAt: integer("completed_at", { mode: "timestamp_ms" }),
    practiceDoneAt: integer("practice_done_at", { mode: "timestamp_ms" }),
    reflection: text("reflection"),
    /** Private unless the supporter chooses to share it with the therapist who asked. */
    reflectionShared: integer("reflection_shared", { mode: "boolean" }).notNull().default(false),
    reflectionUpdatedAt: integer("reflection_updated_at", { mode: "timestamp_ms" }),
  },
  (table) => [
    uniqueIndex("learning_records_user_version_unique").on(table.userId, table.versionId),
    index("learning_records_user_module_idx").on(table.userId, table.moduleId),
  ],
);

export const learningSectionReads = sqliteTable(
  "learning_section_reads",
  {
    recordId: text("record_id")
      .notNull()
      .references(() => learningRecords.id),
    /** The section's position in its version, from 0. */
    section: integer("section").notNull(),
    readAt: integer("read_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [uniqueIndex("learning_section_reads_unique").on(table.recordId, table.section)],
);

/** Every knowledge-check attempt, scored on the server; append-only. */
export const quizAttempts = sqliteTable(
  "quiz_attempts",
  {
    id: text("id").primaryKey(),
    recordId: text("record_id")
      .notNull()
      .references(() => learningRecords.id),
    /** Question id to the option id chosen. */
    answers: text("answers", { mode: "json" }).$type<Record<string, string>>().notNull(),
    correct: integer("correct").notNull(),
    total: integer("total").notNull(),
    scorePercent: integer("score_percent").notNull(),
    passed: integer("passed", { mode: "boolean" }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [index("quiz_attempts_record_idx").on(table.recordId, table.createdAt)],
);

/** A module the program's admin has taken out of assignment; showing it again deletes the row. */
export const hiddenModules = sqliteTable(
  "hidden_modules",
  {
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    moduleId: text("module_id")
      .notNull()
      .references(() => educationModules.id),
    hiddenBy: text("hidden_by")
      .notNull()
      .references(() => memberships.id),
    hiddenAt: integer("hidden_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [uniqueIndex("hidden_modules_unique").on(table.programId, table.moduleId)],
);

/**
 * A weekly group of the program's schedule: a day, a start time (wall-clock, in the program's time zone),
 * a length and a place or an https video link. Ending a group keeps its attendance history.
 */
export const scheduleGroups = sqliteTable(
  "schedule_groups",
  {
    id: text("id").primaryKey(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    name: text("name").notNull(),
    /** ISO weekday: 1 Monday … 7 Sunday. */
    weekday: integer("weekday").notNull(),
    /** "HH:MM", 24-hour, in the program's time zone. */
    startTime: text("start_time").notNull(),
    durationMinutes: integer("duration_minutes").notNull(),
    location: text("location"),
    videoUrl: text("video_url"),
    createdBy: text("created_by")
      .notNull()
      .references(() => memberships.id),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    endedAt: integer("ended_at", { mode: "timestamp_ms" }),
  },
  (table) => [
    check(
      "schedule_groups_valid",
      sql`${table.weekday} BETWEEN 1 AND 7 AND ${table.durationMinutes} BETWEEN 15 AND 480
        AND ${table.startTime} GLOB '[0-2][0-9]:[0-5][0-9]'
        AND (length(trim(${table.location})) > 0 OR ${table.videoUrl} LIKE 'https://%')`,
    ),
    index("schedule_groups_program_idx").on(table.programId, table.weekday, table.startTime),
  ],
);

/** A patient enrolled in a group: from `enrolled_on` until `ended_on` (calendar dates, program's time zone). */
export const groupEnrolments = sqliteTable(
  "group_enrolments",
  {
    id: text("id").primaryKey(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    groupId: text("group_id")
      .notNull()
      .references(() => scheduleGroups.id),
    patientId: text("patient_id")
      .notNull()
      .references(() => memberships.id),
    enrolledOn: text("enrolled_on").notNull(),
    endedOn: text("ended_on"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [
    uniqueIndex("group_enrolments_open_unique")
      .on(table.groupId, table.patientId)
      .where(sql`ended_on IS NULL`),
    index("group_enrolments_patient_idx").on(table.patientId, table.endedOn),
  ],
);

/**
 * What the therapist recorded for one patient at one meeting of a group (the group's day, a calendar
 * date in the program's time zone). Attendance is patient data: supporters see it only through the
 * access module, under the "attendance" category.
 */
export const attendance = sqliteTable(
  "attendance",
  {
    id: text("id").primaryKey(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    groupId: text("group_id")
      .notNull()
      .references(() => scheduleGroups.id),
    patientId: text("patient_id")
      .notNull()
      .references(() => memberships.id),
    sessionDate: text("session_date").notNull(),
    status: text("status", { enum: attendanceStatuses }).notNull(),
    recordedBy: text("recorded_by")
      .notNull()
      .references(() => memberships.id),
    recordedAt: integer("recorded_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [
    uniqueIndex("attendance_session_patient_unique").on(table.groupId, table.sessionDate, table.patientId),
    index("attendance_patient_idx").on(table.patientId, table.sessionDate),
  ],
);

/**
 * A family session the therapist proposes for one patient. `sequence` rises with every change, as
 * iCalendar's SEQUENCE does, so calendars replace the earlier copy (the UID is the id).
 */
export const familySessions = sqliteTable(
  "family_sessions",
  {
    id: text("id").primaryKey(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    patientId: text("patient_id")
      .notNull()
      .references(() => memberships.id),
    episodeId: text("episode_id")
      .notNull()
      .references(() => episodes.id),
    proposedBy: text("proposed_by")
      .notNull()
      .references(() => memberships.id),
    startsAt: integer("starts_at", { mode: "timestamp_ms" }).notNull(),
    durationMinutes: integer("duration_minutes").notNull(),
    location: text("location"),
    videoUrl: text("video_url"),
    status: text("status", { enum: familySessionStatuses }).notNull().default("scheduled"),
    sequence: integer("sequence").notNull().default(0),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [
    check(
      "family_sessions_valid",
      sql`${table.durationMinutes} BETWEEN 15 AND 480
        AND (length(trim(${table.location})) > 0 OR ${table.videoUrl} LIKE 'https://%')`,
    ),
    index("family_sessions_patient_idx").on(table.patientId, table.startsAt),
    index("family_sessions_program_idx").on(table.programId, table.startsAt),
  ],
);

/** A supporter invited to a family session, by their care-circle link, and their answer. */
export const familySessionInvitees = sqliteTable(
  "family_session_invitees",
  {
    sessionId: text("session_id")
      .notNull()
      .references(() => familySessions.id),
    linkId: text("link_id")
      .notNull()
      .references(() => circleLinks.id),
    response: text("response", { enum: familySessionResponses }).notNull().default("invited"),
    respondedAt: integer("responded_at", { mode: "timestamp_ms" }),
  },
  (table) => [
    uniqueIndex("family_session_invitees_unique").on(table.sessionId, table.linkId),
    index("family_session_invitees_link_idx").on(table.linkId),
  ],
);

/**
 * A person's secret calendar-feed address, per membership. Only the SHA-256 of the token is kept;
 * revoking (or replacing) it kills the address at once.
 */
export const calendarFeeds = sqliteTable(
  "calendar_feeds",
  {
    id: text("id").primaryKey(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    membershipId: text("membership_id")
      .notNull()
      .references(() => memberships.id),
    tokenHash: text("token_hash").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
  },
  (table) => [
    uniqueIndex("calendar_feeds_token_unique").on(table.tokenHash),
    index("calendar_feeds_membership_idx").on(table.membershipId, table.revokedAt),
  ],
);

/**
 * The stream of events: one row per recipient (a membership) and thing that happened, written in the
 * transaction that made it happen. It holds ids only, never content: whoever reads it (a home, later an
 * e-mail digest) resolves each row through the access module at that moment, so a consent narrowed or
 * ended since hides the row. `link_id` is the care-circle link the event concerns.
 */
export const events = sqliteTable(
  "events",
  {
    id: text("id").primaryKey(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    recipientId: text("recipient_id")
      .notNull()
      .references(() => memberships.id),
    kind: text("kind", { enum: eventKinds }).notNull(),
    patientId: text("patient_id")
      .notNull()
      .references(() => memberships.id),
    linkId: text("link_id").references(() => circleLinks.id),
    /** The check-in, module or family session the event is about, if any (no foreign key: it may be deleted). */
    subjectId: text("subject_id"),
    occurredAt: integer("occurred_at", { mode: "timestamp_ms" }).notNull(),
    /** What became of the event for e-mail; null until the notifier has looked at it. */
    notice: text("notice", { enum: eventNotices }),
    /** The digest that told of it, for a `digest` notice once sent. */
    digestId: text("digest_id"),
  },
  (table) => [
    index("events_recipient_idx").on(table.recipientId, table.occurredAt, table.id),
    index("events_subject_idx").on(table.subjectId, table.kind),
    index("events_unnoticed_idx")
      .on(table.occurredAt)
      .where(sql`notice is null`),
    index("events_digest_idx")
      .on(table.recipientId)
      .where(sql`notice = 'digest' and digest_id is null`),
  ],
);

/** How one membership hears of one kind of event; a kind without a row has its role's default. */
export const notificationPreferences = sqliteTable(
  "notification_preferences",
  {
    membershipId: text("membership_id")
      .notNull()
      .references(() => memberships.id),
    kind: text("kind", { enum: eventKinds }).notNull(),
    delivery: text("delivery", { enum: deliveries }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.membershipId, table.kind] })],
);

/**
 * One row per person and period (their local date): whoever inserts it sends that digest, so two
 * processes running the job never send two.
 */
export const digests = sqliteTable(
  "digests",
  {
    id: text("id").primaryKey(),
    personId: text("person_id")
      .notNull()
      .references(() => people.id),
    period: text("period").notNull(),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex("digests_person_period_unique").on(table.personId, table.period)],
);

/** Keys the server signs with (unsubscribe links), made once on first use and kept with the data. */
export const signingKeys = sqliteTable("signing_keys", {
  name: text("name").primaryKey(),
  secret: text("secret").notNull(),
});

/** How far each membership has read its stream: kept on the server, so it holds on every device. */
export const eventsSeen = sqliteTable("events_seen", {
  membershipId: text("membership_id")
    .primaryKey()
    .references(() => memberships.id),
  seenUntil: integer("seen_until", { mode: "timestamp_ms" }).notNull(),
});
