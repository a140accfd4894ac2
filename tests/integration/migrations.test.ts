import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "#db/migrate";
import { migrationsUpTo } from "../support/migrations";
import { testDatabaseDir } from "../support/paths";

/**
 * Migrations that reshape tables run on data made by the schema before them: every row must come
 * through, and every foreign key must still point at something.
 */
const scratch = path.join(testDatabaseDir, `migrations-${process.pid}`);

afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe("people and memberships (0008)", () => {
  it("carries every user over as one person and one membership with the same id, sessions and links included", async () => {
    const file = path.join(scratch, "people.db");
    fs.mkdirSync(scratch, { recursive: true });
    await migrateDatabase(file, migrationsUpTo(scratch, "0007_education_integrity"));

    const before = new Database(file);
    before.exec(`
      INSERT INTO programs (id, name, time_zone) VALUES ('p1', 'Riverbend', 'America/Chicago');
      INSERT INTO users (id, program_id, email, name, role, status, password_hash) VALUES
        ('t1', 'p1', 'therapist@example.test', 'Maya Chen', 'therapist', 'active', 'hash-t'),
        ('u1', 'p1', 'patient@example.test', 'Jordan Rivera', 'patient', 'active', 'hash-u'),
        ('s1', 'p1', 'parent@example.test', 'Pat Rivera', 'supporter', 'invited', NULL);
      INSERT INTO episodes (id, program_id, patient_id, primary_therapist_id, start_date, planned_weeks)
        VALUES ('e1', 'p1', 'u1', 't1', '2026-01-05', 10);
      INSERT INTO sessions (id, user_id, expires_at, created_at, last_seen_at) VALUES ('sess', 'u1', 1800000000, 1790000000000, 1790000000000);
      INSERT INTO account_tokens (id, user_id, purpose, token_hash, expires_at) VALUES ('tok', 's1', 'activation', 'hash', 1800000000000);
      INSERT INTO circle_links (id, program_id, patient_id, episode_id, supporter_id, invited_name, invited_email, relationship, status, invited_at, updated_at)
        VALUES ('l1', 'p1', 'u1', 'e1', 's1', 'Pat Rivera', 'parent@example.test', 'parent', 'accepted', 1, 1);
      INSERT INTO audit_events (program_id, actor_user_id, action, outcome) VALUES ('p1', 'u1', 'auth.sign_in', 'success');
    `);
    before.close();

    await migrateDatabase(file);
    const after = new Database(file);
    try {
      expect(after.prepare("SELECT id, email, password_hash FROM people ORDER BY id").all()).toEqual([
        { id: "s1", email: "parent@example.test", password_hash: null },
        { id: "t1", email: "therapist@example.test", password_hash: "hash-t" },
        { id: "u1", email: "patient@example.test", password_hash: "hash-u" },
      ]);
      expect(after.prepare("SELECT id, person_id, program_id, name, role, status FROM memberships ORDER BY id").all()).toEqual([
        { id: "s1", person_id: "s1", program_id: "p1", name: "Pat Rivera", role: "supporter", status: "invited" },
        { id: "t1", person_id: "t1", program_id: "p1", name: "Maya Chen", role: "therapist", status: "active" },
        { id: "u1", person_id: "u1", program_id: "p1", name: "Jordan Rivera", role: "patient", status: "active" },
      ]);
      // A signed-in user stays signed in, acting as the membership they were; the idle deadline is now in milliseconds.
      expect(after.prepare("SELECT person_id, membership_id, expires_at FROM sessions").get()).toEqual({
        person_id: "u1",
        membership_id: "u1",
        expires_at: 1_800_000_000_000,
      });
      expect(after.prepare("SELECT person_id FROM account_tokens").get()).toEqual({ person_id: "s1" });
      expect(after.prepare("SELECT patient_id, supporter_id FROM circle_links").get()).toEqual({
        patient_id: "u1",
        supporter_id: "s1",
      });
      expect(after.pragma("foreign_key_check")).toEqual([]);
      // Every table that named a user now names a membership, which the database enforces.
      const referencing = after
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%REFERENCES \"memberships\"%' ORDER BY name")
        .all()
        .map((row) => (row as { name: string }).name);
      expect(referencing).toEqual(
        expect.arrayContaining(["audit_events", "circle_links", "episodes", "check_ins", "learning_records"]),
      );
      expect(after.prepare("SELECT count(*) AS n FROM sqlite_master WHERE sql LIKE '%users%'").get()).toEqual({ n: 0 });
      after.pragma("foreign_keys = ON");
      expect(() =>
        after
          .prepare(
            "INSERT INTO episodes (id, program_id, patient_id, primary_therapist_id, start_date, planned_weeks) VALUES ('e2', 'p1', 'nobody', 't1', '2026-01-05', 10)",
          )
          .run(),
      ).toThrow(/FOREIGN KEY/);
    } finally {
      after.close();
    }
  });
});

describe("disclosures by day (0009)", () => {
  it("folds what was shown into one row per consent version, item and day, and keeps consent changes as they were", async () => {
    const file = path.join(scratch, "disclosures.db");
    fs.mkdirSync(scratch, { recursive: true });
    await migrateDatabase(file, migrationsUpTo(scratch, "0008_people_and_memberships"));
    const before = new Database(file);
    const day = Date.UTC(2026, 8, 14);
    before.exec(`
      INSERT INTO programs (id, name, time_zone) VALUES ('p1', 'Riverbend', 'America/Chicago');
      INSERT INTO people (id, email) VALUES ('u1', 'patient@example.test'), ('t1', 'therapist@example.test'), ('s1', 'parent@example.test');
      INSERT INTO memberships (id, person_id, program_id, name, role, status) VALUES
        ('u1', 'u1', 'p1', 'Jordan Rivera', 'patient', 'active'), ('t1', 't1', 'p1', 'Maya Chen', 'therapist', 'active'),
        ('s1', 's1', 'p1', 'Pat Rivera', 'supporter', 'active');
      INSERT INTO episodes (id, program_id, patient_id, primary_therapist_id, start_date, planned_weeks) VALUES ('e1', 'p1', 'u1', 't1', '2026-01-05', 10);
      INSERT INTO circle_links (id, program_id, patient_id, episode_id, supporter_id, invited_name, invited_email, relationship, status, invited_at, updated_at)
        VALUES ('l1', 'p1', 'u1', 'e1', 's1', 'Pat Rivera', 'parent@example.test', 'parent', 'active', 1, 1);
      INSERT INTO consents (id, program_id, link_id, patient_id, version, patient_name, disclosing_program, categories, recipient_name,
          recipient_email, recipient_relationship, purpose, revocation_statement, expiry_kind, episode_id, signature, signed_at, text)
        VALUES ('c1', 'p1', 'l1', 'u1', 1, 'Jordan Rivera', 'Riverbend', '["progress"]', 'Pat Rivera', 'parent@example.test', 'parent',
          'Support', 'You may revoke', 'episode_end', 'e1', 'Jordan Rivera', 1, 'The consent');
      INSERT INTO disclosure_log (program_id, patient_id, link_id, consent_id, kind, detail, actor_user_id, occurred_at)
        VALUES ('p1', 'u1', 'l1', 'c1', 'consent_signed', 'signed', 'u1', ${day});
      INSERT INTO disclosure_log (program_id, patient_id, link_id, consent_id, kind, category, item_type, item_id, actor_user_id, occurred_at) VALUES
        ('p1', 'u1', 'l1', 'c1', 'disclosure', 'progress', 'check_in', 'ci1', 's1', ${day + 1_000}),
        ('p1', 'u1', 'l1', 'c1', 'disclosure', 'progress', 'check_in', 'ci1', 's1', ${day + 5_000}),
        ('p1', 'u1', 'l1', 'c1', 'disclosure', 'progress', 'check_in', 'ci1', 's1', ${day + 9_000}),
        ('p1', 'u1', 'l1', 'c1', 'disclosure', 'progress', 'check_in', 'ci1', 's1', ${day + 86_400_000}),
        ('p1', 'u1', 'l1', 'c1', 'disclosure', 'progress', 'check_in', 'ci2', 's1', ${day + 2_000});
    `);
    before.close();

    await migrateDatabase(file);
    const after = new Database(file);
    try {
      const rows = after
        .prepare(
          "SELECT kind, item_id AS itemId, day, count, occurred_at AS first, last_occurred_at AS last FROM disclosure_log ORDER BY id",
        )
        .all();
      expect(rows).toEqual([
        { kind: "consent_signed", itemId: null, day: null, count: 1, first: day, last: null },
        { kind: "disclosure", itemId: "ci1", day: "2026-09-14", count: 3, first: day + 1_000, last: day + 9_000 },
        { kind: "disclosure", itemId: "ci2", day: "2026-09-14", count: 1, first: day + 2_000, last: day + 2_000 },
        { kind: "disclosure", itemId: "ci1", day: "2026-09-15", count: 1, first: day + 86_400_000, last: day + 86_400_000 },
      ]);
      expect(after.pragma("foreign_key_check")).toEqual([]);
    } finally {
      after.close();
    }
  });
});

describe("the check of references after migrating", () => {
  /** A database one migration behind, holding a row that points at nothing (written with foreign keys off). */
  async function oneBehindWithABrokenRow(name: string) {
    const file = path.join(scratch, name);
    fs.mkdirSync(scratch, { recursive: true });
    await migrateDatabase(file, migrationsUpTo(scratch, "0014_languages"));
    const db = new Database(file);
    db.pragma("foreign_keys = OFF");
    db.exec(`INSERT INTO episodes (id, program_id, patient_id, primary_therapist_id, start_date, planned_weeks)
             VALUES ('e1', 'nowhere', 'nobody', 'nobody', '2026-01-05', 10)`);
    db.close();
    return file;
  }

  for (const driver of ["better-sqlite3", "libsql"] as const) {
    it(`refuses what a migration leaves pointing at nothing, and is not paid again when nothing is applied (${driver})`, async () => {
      const file = await oneBehindWithABrokenRow(`references-${driver}.db`);
      const location = driver === "libsql" ? { driver, url: `file:${file}` } : file;
      await expect(migrateDatabase(location)).rejects.toThrow(
        "Migrations left rows pointing at nothing: episodes -> memberships, episodes -> programs",
      );
      // The migration is in; a start with nothing to apply does not read every row again.
      await expect(migrateDatabase(location)).resolves.toBeUndefined();
    });
  }
});
