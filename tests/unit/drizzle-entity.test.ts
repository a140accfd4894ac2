import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Column, is, SQL, sql, Table } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { checkIns } from "#db/schema";

/**
 * Drizzle's entity check (`is`), carried as a patch (patches/, decision 026) that keeps its answer per
 * class: both copies carry it, and it answers as the original does, across the two copies too (an
 * entity of the CommonJS copy is recognised by the ES module's classes through their kind, not `instanceof`).
 */
const requireHere = createRequire(import.meta.url);
const drizzleDist = path.dirname(requireHere.resolve("drizzle-orm"));

describe("drizzle's entity check, patched for speed", () => {
  it("is patched in both copies", () => {
    for (const file of ["entity.js", "entity.cjs"])
      expect(fs.readFileSync(path.join(drizzleDist, file), "utf8"), file).toContain("isKindOf.get(constructor)");
  });

  it("answers as before, the first time and from what it kept", () => {
    const common = requireHere("drizzle-orm") as typeof import("drizzle-orm");
    const fromTheOtherCopy = common.sql`select 1`;
    for (let round = 0; round < 2; round++) {
      expect(is(sql`select 1`, SQL)).toBe(true);
      expect(is(checkIns.mood, Column)).toBe(true);
      expect(is(checkIns.mood, SQL)).toBe(false);
      expect(is(checkIns, Table)).toBe(true);
      expect(is({ mood: checkIns.mood }, SQL)).toBe(false);
      expect(is(null, SQL)).toBe(false);
      expect(fromTheOtherCopy instanceof SQL).toBe(false);
      expect(is(fromTheOtherCopy, SQL)).toBe(true);
      expect(is(fromTheOtherCopy, Column)).toBe(false);
    }
  });
});
