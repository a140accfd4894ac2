import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../support/paths";

/**
 * What the browser downloads: `npm test` builds before Vitest runs. Components take the product's
 * vocabularies from app/vocabulary.ts, so no database library reaches the browser.
 */
function clientFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return clientFiles(full);
    return entry.name.endsWith(".js") ? [full] : [];
  });
}

describe("the browser bundle", () => {
  it("carries no database code", () => {
    const files = clientFiles(path.join(projectRoot, "public/build"));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const source = fs.readFileSync(file, "utf8");
      expect(source, path.relative(projectRoot, file)).not.toMatch(/sqliteTable|drizzle-orm|better-sqlite3/);
    }
  });
});
