import * as z from "zod";
import { databaseLocation, type DatabaseLocation } from "#db/database";

const flag = z
  .enum(["1", "0", "true", "false", ""])
  .optional()
  .transform((value) => value === "1" || value === "true");

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** The embedded SQLite file when DATABASE_URL is not set (db/database.ts reads both). */
  DATABASE_PATH: z.string().min(1).optional(),
  /** `file:…` or a path (embedded), or `libsql://…` / `https://…` for a libSQL server or Turso. */
  DATABASE_URL: z.string().min(1).optional(),
  DATABASE_AUTH_TOKEN: z.string().min(1).optional(),
  /** For an embedded file: better-sqlite3 (the default) or libsql. */
  DATABASE_DRIVER: z.enum(["better-sqlite3", "libsql"]).optional(),
  /** The public address, used in e-mailed links. Defaults to http://localhost:PORT. */
  APP_URL: z.url().optional(),
  /** smtp://user:pass@host:port or smtps://…; without it mail is kept in the development outbox. */
  SMTP_URL: z.url().optional(),
  MAIL_FROM: z.string().min(3).default("Care Circle <no-reply@care-circle.invalid>"),
  /** Quiet hours of everyone who has not set their own: "HH:MM-HH:MM" in their time zone, or "off". */
  DEFAULT_QUIET_HOURS: z
    .string()
    .regex(/^(off|([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d)$/, 'Use "HH:MM-HH:MM", for example "21:00-08:00", or "off"')
    .refine(
      (value) => value === "off" || value.slice(0, 5) !== value.slice(6),
      "Quiet hours must end at another time than they start",
    )
    .default("21:00-08:00"),
  /** Where "Leave quickly" sends the person: a busy, neutral site that says nothing about them. */
  LEAVE_QUICKLY_URL: z.url({ protocol: /^https?$/ }).default("https://www.google.com/"),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  /** Number of reverse proxies in front of the app, for the client address and the https check. */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  DEMO: flag,
  DEMO_PASSWORD: z.string().min(12).max(128).default("care-circle-demo"),
  LOG_REQUESTS: flag,
  /** The background checkpointer (decision 026); off when a replicator such as Litestream checkpoints instead. */
  BACKGROUND_CHECKPOINTS: z.enum(["on", "off"]).default("on"),
});

export type Env = z.infer<typeof envSchema> & {
  appUrl: string;
  demoEnabled: boolean;
  mailboxEnabled: boolean;
  database: DatabaseLocation;
};

let parsed: Env | undefined;

/** The validated environment. Throws once, at boot, with every problem listed. */
export function env(): Env {
  if (parsed) return parsed;
  const result = envSchema.safeParse(process.env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment:\n${problems.join("\n")}`);
  }
  const values = result.data;
  const production = values.NODE_ENV === "production";
  parsed = {
    ...values,
    appUrl: (values.APP_URL ?? `http://localhost:${values.PORT}`).replace(/\/$/, ""),
    demoEnabled: !production || values.DEMO,
    mailboxEnabled: !production && !values.SMTP_URL,
    database: databaseLocation(process.env),
  };
  return parsed;
}
