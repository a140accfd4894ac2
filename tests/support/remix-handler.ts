import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
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
    fetch: (request: Request) => handler(request, { cspNonce: "test-nonce", clientAddress: "127.0.0.1" }),
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
