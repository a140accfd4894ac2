import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Every domain row belongs to a program (the tenant). The few tables without a program id
 * hold pre-authentication state (rate-limit buckets, audit rows for an unknown e-mail).
 * Times are epoch milliseconds unless a column says otherwise.
 */

const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

export const roles = ["admin", "therapist", "patient", "supporter"] as const;
export type Role = (typeof roles)[number];

export const accountStatuses = ["invited", "active", "disabled"] as const;
export type AccountStatus = (typeof accountStatuses)[number];

export const programs = sqliteTable("programs", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  timeZone: text("time_zone").notNull(),
  createdAt: createdAt(),
});

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: text("role", { enum: roles }).notNull(),
    status: text("status", { enum: accountStatuses }).notNull().default("invited"),
    passwordHash: text("password_hash"),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
  },
  (table) => [
    uniqueIndex("users_email_unique").on(table.email),
    index("users_program_role_idx").on(table.programId, table.role),
  ],
);

/** Lucia's session table. `id` is the SHA-256 of the cookie token; `expires_at` is in seconds (Lucia's format). */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at").notNull(),
    createdAt: integer("created_at").notNull(),
    lastSeenAt: integer("last_seen_at").notNull(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
  },
  (table) => [index("sessions_user_idx").on(table.userId)],
);

export const tokenPurposes = ["activation", "password_reset"] as const;
export type TokenPurpose = (typeof tokenPurposes)[number];

/** Single-use links. Only the SHA-256 of the token is stored. */
export const accountTokens = sqliteTable(
  "account_tokens",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: tokenPurposes }).notNull(),
    tokenHash: text("token_hash").notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("account_tokens_hash_unique").on(table.tokenHash),
    index("account_tokens_user_idx").on(table.userId, table.purpose),
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
      .references(() => users.id),
    primaryTherapistId: text("primary_therapist_id")
      .notNull()
      .references(() => users.id),
    startDate: text("start_date").notNull(),
    plannedWeeks: integer("planned_weeks").notNull(),
    endedAt: integer("ended_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (table) => [
    index("episodes_therapist_idx").on(table.primaryTherapistId, table.endedAt),
    index("episodes_patient_idx").on(table.patientId),
  ],
);

export const auditOutcomes = ["success", "failure", "denied"] as const;

/** Append-only (triggers in the migrations refuse UPDATE and DELETE). Never holds the data itself. */
export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    programId: text("program_id").references(() => programs.id),
    actorUserId: text("actor_user_id").references(() => users.id),
    action: text("action").notNull(),
    outcome: text("outcome", { enum: auditOutcomes }).notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    ipAddress: text("ip_address"),
    createdAt: createdAt(),
  },
  (table) => [index("audit_events_program_idx").on(table.programId, table.id)],
);

/** Fixed-window counters for rate limits; keys never hold an e-mail address in clear. */
export const rateLimitBuckets = sqliteTable("rate_limit_buckets", {
  key: text("key").primaryKey(),
  windowStartedAt: integer("window_started_at").notNull(),
  count: integer("count").notNull(),
});

/** Mail kept instead of sent when no SMTP server is configured (development and the demo). */
export const outboxMessages = sqliteTable(
  "outbox_messages",
  {
    id: text("id").primaryKey(),
    programId: text("program_id").references(() => programs.id),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    createdAt: createdAt(),
  },
  (table) => [index("outbox_program_idx").on(table.programId, table.createdAt)],
);
