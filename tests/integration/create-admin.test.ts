import { spawnSync } from "node:child_process";
import path from "node:path";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "../support/database";
import { memberships, people, programs } from "#db/schema";
import { activationState } from "~/models/account.server";
import { projectRoot } from "../support/paths";

function createAdmin(...args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", path.join(projectRoot, "scripts/create-admin.ts"), ...args], {
    cwd: projectRoot,
    env: { ...process.env, APP_URL: "https://care.example.org" },
    encoding: "utf8",
  });
}

describe("npm run create-admin", () => {
  it("creates the program and its first admin, and prints a single-use activation link", async () => {
    const result = createAdmin(
      "--program",
      "Lakeside IOP",
      "--email",
      "First.Admin@Example.org",
      "--time-zone",
      "America/Denver",
    );
    expect(result.status, result.stderr).toBe(0);
    const link = /https:\/\/care\.example\.org\/activate\?token=(\S+)/.exec(result.stdout);
    expect(link).not.toBeNull();

    const program = await db.select().from(programs).where(eq(programs.name, "Lakeside IOP")).get();
    expect(program?.timeZone).toBe("America/Denver");
    const admin = await db
      .select()
      .from(memberships)
      .innerJoin(people, eq(people.id, memberships.personId))
      .where(eq(people.email, "first.admin@example.org"))
      .get();
    expect(admin?.memberships).toMatchObject({ role: "admin", status: "invited", programId: program!.id });
    expect(await activationState(db, decodeURIComponent(link![1]!))).toEqual({ state: "valid", personId: admin!.people.id });
  });

  it("refuses bad input and an e-mail that is taken, changing nothing", async () => {
    const missing = createAdmin("--email", "someone@example.org");
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("--program is required");

    const badZone = createAdmin("--program", "Zone IOP", "--email", "zone@example.org", "--time-zone", "Mars/Olympus");
    expect(badZone.status).toBe(2);
    expect(await db.select().from(programs).where(eq(programs.name, "Zone IOP")).get()).toBeUndefined();

    expect(createAdmin("--program", "Dup IOP", "--email", "dup@example.org").status).toBe(0);
    const again = createAdmin("--program", "Dup IOP", "--email", "dup@example.org");
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("already an admin of this program");
  });
});
