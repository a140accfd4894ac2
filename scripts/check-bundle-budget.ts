/**
 * The JavaScript each page makes the browser download on a first visit, held to a committed budget
 * (docs/decisions/019-javascript-budget.md). Reads the asset manifest of the build just made: a page
 * loads the client entry, then the module of every route from the root down to it, each with the
 * shared chunks it imports. Fails when a page goes over its budget or has none.
 *
 *   tsx scripts/check-bundle-budget.ts [project]          check (run by `npm run build`)
 *   tsx scripts/check-bundle-budget.ts [project] --write  set each budget to today's size plus headroom
 */
import { readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const project = process.argv.slice(2).find((arg) => !arg.startsWith("--")) ?? path.join(fileURLToPath(import.meta.url), "../..");
const budgetFile = path.join(project, "bundle-budget.json");
const publicFile = (url: string) => path.join(project, "public", url);
type Manifest = {
  entry: { module: string; imports: string[] };
  routes: Record<string, { parentId?: string; module: string; imports?: string[] }>;
};
type Size = { raw: number; gzip: number };

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
/** Room above today's size when budgets are written: a small change passes, a new library on a page does not. */
const withHeadroom = (bytes: number) => Math.ceil((bytes * 1.05) / 4096) * 4096;

const serverBuild = readFileSync(path.join(project, "build/index.js"), "utf8");
const manifestUrl = serverBuild.match(/\/build\/manifest-[A-Z0-9]+\.js/)?.[0];
if (!manifestUrl) {
  console.error("No asset manifest named in build/index.js: run `remix build` first.");
  process.exit(1);
}
const manifestSource = readFileSync(publicFile(manifestUrl), "utf8");
const manifest = JSON.parse(manifestSource.replace(/^window\.__remixManifest=/, "").replace(/;\s*$/, "")) as Manifest;

const sizes = new Map<string, Size>();
function sizeOf(url: string): Size {
  let size = sizes.get(url);
  if (!size) {
    size = { raw: statSync(publicFile(url)).size, gzip: gzipSync(readFileSync(publicFile(url))).length };
    sizes.set(url, size);
  }
  return size;
}

function pageJavaScript(routeId: string): Size {
  const files = new Set([manifest.entry.module, ...manifest.entry.imports]);
  for (let route = manifest.routes[routeId]; route; route = route.parentId ? manifest.routes[route.parentId] : undefined) {
    files.add(route.module);
    for (const url of route.imports ?? []) files.add(url);
  }
  let raw = 0;
  let gzip = 0;
  for (const url of files) {
    raw += sizeOf(url).raw;
    gzip += sizeOf(url).gzip;
  }
  return { raw, gzip };
}

const pages = Object.keys(manifest.routes)
  .map((id) => ({ id, ...pageJavaScript(id) }))
  .sort((a, b) => b.raw - a.raw);

if (process.argv.includes("--write")) {
  const budgets = Object.fromEntries(
    pages.map((page): [string, number] => [page.id, withHeadroom(page.raw)]).sort(([a], [b]) => a.localeCompare(b)),
  );
  writeFileSync(budgetFile, `${JSON.stringify(budgets, null, 2)}\n`);
  console.log(`Wrote budgets for ${pages.length} pages to bundle-budget.json.`);
  process.exit(0);
}

const budgets = JSON.parse(readFileSync(budgetFile, "utf8")) as Record<string, number>;
const failures = pages.flatMap((page) => {
  const budget = budgets[page.id];
  if (budget === undefined) return [`${page.id}: ${kib(page.raw)} and no budget; add one to bundle-budget.json`];
  return page.raw > budget ? [`${page.id}: ${kib(page.raw)}, over its budget of ${kib(budget)}`] : [];
});
const [largest] = pages;
if (largest) {
  console.log(
    `JavaScript per page: ${pages.length} pages, the largest ${largest.id} at ${kib(largest.raw)} (${kib(largest.gzip)} gzipped).`,
  );
}
if (failures.length) {
  console.error(`Over the JavaScript budget:\n  ${failures.join("\n  ")}`);
  process.exit(1);
}
