import fs from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import { migrationsFolder } from "#db/migrate";

/** A copy of the migrations folder, under `scratch`, that stops after `lastTag`, as a database made back then saw it. */
export function migrationsUpTo(scratch: string, lastTag: string) {
  const folder = path.join(scratch, lastTag);
  fs.mkdirSync(path.join(folder, "meta"), { recursive: true });
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, "meta/_journal.json"), "utf8")) as {
    entries: { tag: string }[];
  };
  const last = journal.entries.findIndex((entry) => entry.tag === lastTag);
  expect(last).toBeGreaterThanOrEqual(0);
  const entries = journal.entries.slice(0, last + 1);
  for (const entry of entries)
    fs.copyFileSync(path.join(migrationsFolder, `${entry.tag}.sql`), path.join(folder, `${entry.tag}.sql`));
  fs.writeFileSync(path.join(folder, "meta/_journal.json"), JSON.stringify({ ...journal, entries }));
  return folder;
}
