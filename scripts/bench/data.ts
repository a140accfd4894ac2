import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { projectRoot } from "../../tests/support/paths";

/** The password seed:large gives every account when it is not told another. */
export const seedPassword = "care-circle-large";

/** A membership to sign in as (a person can hold two: `membershipId` says which one acts). */
export type Account = { membershipId: string; email: string; name: string; why: string };

export type BenchUsers = {
  supporter: Account;
  patient: Account;
  therapist: Account;
  /** One patient of that therapist's caseload, for the therapist's page about them. */
  therapistPatient: { id: string; name: string; why: string };
  /** A module asked of the supporter, and one of its sections (numbered from 1). */
  module: { slug: string; section: number; why: string };
  /** Every patient who can sign in: a different account for each sign-in. */
  signInEmails: string[];
};

/** Why `file` is not a finished seed:large program of `patients` patients, or null when it is one. */
function notASeededProgram(file: string, patients: number): string | null {
  const wal = `${file}-wal`;
  // seed:large ends by checkpointing its WAL into the file; a WAL with frames means a seed still writing.
  if (fs.existsSync(wal) && fs.statSync(wal).size > 0) return `${wal} is not empty: is a seed still writing it?`;
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const count = (query: string) => (db.prepare(query).pluck().get() as number | undefined) ?? 0;
    const programs = count("select count(*) from programs");
    const patientMemberships = count("select count(*) from memberships where role = 'patient'");
    if (programs !== 1 || patientMemberships !== patients)
      return `it holds ${programs} programs and ${patientMemberships} patients, not one program of ${patients}`;
    // The audit trail is the seed's last step.
    if (count("select count(*) from (select 1 from audit_events limit 1)") === 0)
      return "it has no audit trail: an unfinished seed?";
    return null;
  } finally {
    db.close();
  }
}

/**
 * A copy, under tmp/bench, of the seed:large program of `patients` patients: seed:large's own file
 * (tmp/large/care-circle-<patients>.db) when it holds that program, else made by running seed:large.
 * The run writes (check-ins, sessions), so it works on the copy and the seeded file stays as seeded.
 */
export function benchDatabase(patients: number, say: (message: string) => void) {
  const seeded = path.join(projectRoot, "tmp/large", `care-circle-${patients}.db`);
  if (!fs.existsSync(seeded)) {
    say(`${path.relative(projectRoot, seeded)} does not exist: seed:large makes it (about 20 s per 500 patients)`);
    const seed = spawnSync("npx", ["tsx", "scripts/seed-large.ts", "--patients", String(patients)], {
      cwd: projectRoot,
      stdio: ["ignore", "ignore", "inherit"],
      // seed:large's default path, through its default engine: the file is the same for either driver.
      env: { ...process.env, DATABASE_URL: "", DATABASE_DRIVER: "" },
    });
    if (seed.status !== 0) throw new Error(`seed:large --patients ${patients} failed (exit ${seed.status})`);
  }
  const problem = notASeededProgram(seeded, patients);
  if (problem) throw new Error(`${path.relative(projectRoot, seeded)} cannot be used: ${problem}`);
  const copy = path.join(projectRoot, "tmp/bench", `care-circle-${patients}.db`);
  fs.mkdirSync(path.dirname(copy), { recursive: true });
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${copy}${suffix}`, { force: true });
  fs.copyFileSync(seeded, copy);
  return copy;
}

/**
 * Representative people of the seeded program, chosen by query so that each page shows a busy case:
 * the supporter in the most active circles, a patient with a big active circle and many check-ins, the
 * therapist with the largest caseload and the busiest patient on it, a module the supporter was asked to take.
 */
export function chooseUsers(file: string): BenchUsers {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  const row = <T>(query: string, ...parameters: unknown[]) => {
    const found = db.prepare(query).get(...parameters) as T | undefined;
    if (!found) throw new Error(`${path.basename(file)} has nobody for: ${query.replace(/\s+/g, " ").slice(0, 120)}…`);
    return found;
  };
  // Only people who can sign in: an active membership and a password set.
  const canSignIn = "m.status = 'active' and p.password_hash is not null";
  try {
    const supporter = row<Account & { links: number }>(
      `select m.id as membershipId, p.email, m.name, count(*) as links
       from circle_links l join memberships m on m.id = l.supporter_id join people p on p.id = m.person_id
       where l.status = 'active' and ${canSignIn}
       group by m.id order by links desc, m.id limit 1`,
    );
    // Circle size times check-ins: a big circle with few check-ins shows as little as many check-ins shared with nobody.
    const patient = row<Account & { circle: number; checkIns: number }>(
      `select membershipId, email, name, circle, checkIns from (
         select m.id as membershipId, p.email, m.name,
           (select count(*) from circle_links l where l.patient_id = m.id and l.status = 'active') as circle,
           (select count(*) from check_ins c where c.patient_id = m.id) as checkIns
         from memberships m join people p on p.id = m.person_id
         where m.role = 'patient' and ${canSignIn}
           and exists (select 1 from episodes e where e.patient_id = m.id and e.ended_at is null))
       order by circle * checkIns desc, membershipId limit 1`,
    );
    const therapist = row<Account & { caseload: number }>(
      `select m.id as membershipId, p.email, m.name, count(*) as caseload
       from episodes e join memberships m on m.id = e.primary_therapist_id join people p on p.id = m.person_id
       where e.ended_at is null and ${canSignIn}
       group by m.id order by caseload desc, m.id limit 1`,
    );
    const therapistPatient = row<{ id: string; name: string; checkIns: number }>(
      `select e.patient_id as id, m.name, (select count(*) from check_ins c where c.patient_id = e.patient_id) as checkIns
       from episodes e join memberships m on m.id = e.patient_id
       where e.primary_therapist_id = ? and e.ended_at is null order by checkIns desc, e.patient_id limit 1`,
      therapist.membershipId,
    );
    // One asked of this supporter, newest first; in a small program where nobody asked them, the library's first.
    const module = row<{ slug: string; sections: number; asked: number }>(
      `select em.slug,
         (select json_array_length(v.sections) from module_versions v where v.module_id = em.id order by v.version desc limit 1) as sections,
         a.created_at is not null as asked
       from education_modules em
       left join (select a.module_id, max(a.created_at) as created_at from module_assignments a join circle_links l on l.id = a.link_id
                  where l.supporter_id = ? and l.status = 'active' group by a.module_id) a on a.module_id = em.id
       order by asked desc, a.created_at desc, em.position, em.slug limit 1`,
      supporter.membershipId,
    );
    const signInEmails = db
      .prepare(
        `select distinct p.email from memberships m join people p on p.id = m.person_id where m.role = 'patient' and ${canSignIn}`,
      )
      .pluck()
      .all() as string[];
    return {
      supporter: { ...supporter, why: `${supporter.links} active links` },
      patient: { ...patient, why: `${patient.circle} in the active circle, ${patient.checkIns} check-ins` },
      therapist: { ...therapist, why: `caseload of ${therapist.caseload}` },
      therapistPatient: { ...therapistPatient, why: `${therapistPatient.checkIns} check-ins` },
      // The second section when there is one: a reader in the middle of the module.
      module: {
        slug: module.slug,
        section: Math.min(2, module.sections),
        why: module.asked ? "asked of the supporter" : "not asked of them",
      },
      signInEmails,
    };
  } finally {
    db.close();
  }
}
