import fs from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import { migrationsFolder } from "#db/migrate";

function readJournal(lastTag: string) {
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, "meta/_journal.json"), "utf8")) as {
    entries: { tag: string }[];
  };
  const last = journal.entries.findIndex((entry) => entry.tag === lastTag);
  expect(last).toBeGreaterThanOrEqual(0);
  return { journal, last };
}

/** How many migrations came after `lastTag`: what a database made back then still has to apply. */
export function migrationsAfter(lastTag: string) {
  const { journal, last } = readJournal(lastTag);
  return journal.entries.length - last - 1;
}

/** A copy of the migrations folder, under `scratch`, that stops after `lastTag`, as a database made back then saw it. */
export function migrationsUpTo(scratch: string, lastTag: string) {
  const folder = path.join(scratch, lastTag);
  fs.mkdirSync(path.join(folder, "meta"), { recursive: true });
  const { journal, last } = readJournal(lastTag);
  const entries = journal.entries.slice(0, last + 1);
  for (const entry of entries)
    fs.copyFileSync(path.join(migrationsFolder, `${entry.tag}.sql`), path.join(folder, `${entry.tag}.sql`));
  fs.writeFileSync(path.join(folder, "meta/_journal.json"), JSON.stringify({ ...journal, entries }));
  return folder;
}
