import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { cookieFor, testOrigin } from "./fixtures";
import { db } from "./database";
import { projectRoot } from "./paths";

/**
 * The app as `npm run build` made it, answering Requests directly (no HTTP server). `npm test`
 * builds before running Vitest; run `npm run build` first when running Vitest alone.
 */
export async function loadBuild(): Promise<ServerBuild> {
  return (await import(pathToFileURL(path.join(projectRoot, "build/index.js")).href)) as ServerBuild;
}

export async function remixHandler() {
  const build = await loadBuild();
  const handler = createRequestHandler(build, "production");
  return {
    build,
    fetch: (request: Request) => handler(request, { db, cspNonce: "test-nonce", clientAddress: "127.0.0.1" }),
  };
}

/** Full URL paths of every route, with `:params` filled in and parents joined. */
export function routePaths(build: ServerBuild, fill: (param: string) => string) {
  const paths: Record<string, string> = {};
  const pathOf = (id: string): string => {
    const route = build.routes[id]!;
    const parent = route.parentId ? pathOf(route.parentId) : "";
    const own = (route.path ?? "")
      .split("/")
      .map((segment) => (segment.startsWith(":") ? fill(segment.slice(1).replace(/\?$/, "")) : segment))
      .join("/");
    return [parent, own].filter(Boolean).join("/").replace(/\/+/g, "/");
  };
  for (const id of Object.keys(build.routes)) paths[id] = `/${pathOf(id)}`.replace(/\/+/g, "/");
  return paths;
}

/** A GET (or, with `form`, a POST) from `userId`'s real session, as a same-origin browser sends it. */
export async function requestAs(
  app: Awaited<ReturnType<typeof remixHandler>>,
  path: string,
  userId: string,
  form?: Record<string, string | string[]>,
) {
  const headers = new Headers({ Origin: testOrigin, Host: new URL(testOrigin).host, Cookie: await cookieFor(userId) });
  let body: URLSearchParams | undefined;
  if (form) {
    body = new URLSearchParams();
    for (const [key, value] of Object.entries(form)) for (const item of [value].flat()) body.append(key, item);
  }
  return app.fetch(new Request(`${testOrigin}${path}`, { method: form ? "POST" : "GET", headers, body, redirect: "manual" }));
}
