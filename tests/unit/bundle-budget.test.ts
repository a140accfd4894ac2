import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const script = path.resolve("scripts/check-bundle-budget.ts");
let project: string;

/** A build in miniature: a client entry, a root, and two pages, one of them importing a chunk the root imports too. */
function writeBuild() {
  const file = (url: string, bytes: number) => writeFileSync(path.join(project, "public", url), "x".repeat(bytes));
  mkdirSync(path.join(project, "public/build/_shared"), { recursive: true });
  mkdirSync(path.join(project, "build"));
  file("/build/entry.js", 1000);
  file("/build/_shared/react.js", 5000);
  file("/build/_shared/i18n.js", 700);
  file("/build/root.js", 300);
  file("/build/forms.js", 20);
  file("/build/_shared/validation.js", 4000);
  file("/build/home.js", 50);
  const manifest = {
    entry: { module: "/build/entry.js", imports: ["/build/_shared/react.js"] },
    routes: {
      root: { id: "root", module: "/build/root.js", imports: ["/build/_shared/i18n.js"] },
      "routes/forms": {
        id: "routes/forms",
        parentId: "root",
        module: "/build/forms.js",
        imports: ["/build/_shared/validation.js", "/build/_shared/i18n.js"],
      },
      "routes/home": { id: "routes/home", parentId: "root", module: "/build/home.js" },
    },
  };
  writeFileSync(path.join(project, "public/build/manifest-AB12.js"), `window.__remixManifest=${JSON.stringify(manifest)};`);
  writeFileSync(path.join(project, "build/index.js"), `export const assets = { url: "/build/manifest-AB12.js" };`);
}

const rootBytes = 1000 + 5000 + 700 + 300;
const formsBytes = rootBytes + 20 + 4000;
const homeBytes = rootBytes + 50;

function budgets(values: Record<string, number>) {
  writeFileSync(path.join(project, "bundle-budget.json"), JSON.stringify(values));
}

function check(...args: string[]) {
  const run = spawnSync(process.execPath, ["--import", "tsx", script, project, ...args], { encoding: "utf8" });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeEach(() => {
  project = mkdtempSync(path.join(tmpdir(), "bundle-budget-"));
  writeBuild();
});

afterEach(() => rmSync(project, { recursive: true, force: true }));

describe("the JavaScript budget per page", () => {
  it("passes when every page is within its budget, counting a chunk shared by a page and the root once", () => {
    budgets({ root: rootBytes, "routes/forms": formsBytes, "routes/home": homeBytes });
    const run = check();
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("the largest routes/forms");
  });

  it("fails the build, naming the page, when a page goes one byte over", () => {
    budgets({ root: rootBytes, "routes/forms": formsBytes - 1, "routes/home": homeBytes });
    const run = check();
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("routes/forms");
    expect(run.stderr).not.toContain("routes/home");
  });

  it("fails when a new page has no budget", () => {
    budgets({ root: rootBytes, "routes/forms": formsBytes });
    const run = check();
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("routes/home");
    expect(run.stderr).toContain("no budget");
  });

  it("writes budgets a little above today's sizes, which the next check passes", () => {
    expect(check("--write").status).toBe(0);
    const written = JSON.parse(readFileSync(path.join(project, "bundle-budget.json"), "utf8")) as Record<string, number>;
    expect(Object.keys(written).sort()).toEqual(["root", "routes/forms", "routes/home"]);
    expect(written["routes/forms"]).toBeGreaterThanOrEqual(formsBytes);
    expect(written["routes/forms"]).toBeLessThan(formsBytes * 1.05 + 4096);
    expect(check().status).toBe(0);
  });
});
