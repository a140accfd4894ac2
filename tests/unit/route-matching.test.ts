import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createMemoryHistory, createRouter, matchRoutes, type AgnosticRouteObject } from "@remix-run/router";

/**
 * The route-matching caches carried as a patch of @remix-run/router (patches/, decision 025): the
 * server's copy (CommonJS) and the browser's (ES module) both carry it, a cached match is the match
 * computed afresh, and a route tree the router grows in place (lazy route discovery) is matched anew.
 * With it, Remix's server render (patched too) hands the static router the same routes for every request,
 * and the static router matches against the same tree, so the kept branches are found.
 */

const routerDist = path.dirname(createRequire(import.meta.url).resolve("@remix-run/router"));

/** A tree shaped like the app's: a root, index routes, params, a nested layout, a pathless layout, a splat. */
function routeTree(): AgnosticRouteObject[] {
  return [
    {
      id: "root",
      path: "",
      children: [
        { id: "routes/_index", index: true },
        { id: "routes/patient._index", path: "patient", index: true },
        { id: "routes/patient.check-ins._index", path: "patient/check-ins", index: true },
        { id: "routes/patient.check-ins.new", path: "patient/check-ins/new" },
        { id: "routes/patient.check-ins.$checkInId", path: "patient/check-ins/:checkInId" },
        {
          id: "routes/therapist.patients.$patientId",
          path: "therapist/patients/:patientId",
          children: [
            { id: "routes/therapist.patients.$patientId._index", index: true },
            { id: "routes/therapist.patients.$patientId.learning", path: "learning" },
          ],
        },
        { id: "routes/pathless", children: [{ id: "routes/privacy", path: "privacy" }] },
        { id: "routes/supporter.learning.$slug.$section", path: "supporter/learning/:slug/:section?" },
        { id: "routes/files.$", path: "files/*" },
      ],
    },
  ];
}

const urls = [
  "/",
  "/patient",
  "/patient/",
  "/patient/check-ins",
  "/patient/check-ins/new",
  "/patient/check-ins/abc-123",
  "/PATIENT/Check-Ins/x",
  "/therapist/patients/p1",
  "/therapist/patients/p1/learning",
  "/therapist/patients/p1/nothing",
  "/privacy",
  "/supporter/learning/welcome",
  "/supporter/learning/welcome/2",
  "/files/a/b/c%20d",
  "/no/such/page",
];

const described = (matches: ReturnType<typeof matchRoutes>) =>
  matches?.map((match) => ({ id: match.route.id, params: match.params, pathname: match.pathname })) ?? null;

describe("route matching, patched for speed", () => {
  it("is patched in the server's copy and in the browser's", () => {
    for (const file of ["router.cjs.js", "router.js"])
      expect(fs.readFileSync(path.join(routerDist, file), "utf8"), file).toContain("function flattenAndRankRoutes(routes)");
  });

  it("renders every request from one tree: Remix's server routes and the static router's data routes are kept", async () => {
    const requireHere = createRequire(import.meta.url);
    const remixServer = fs.readFileSync(requireHere.resolve("@remix-run/react/dist/server.js"), "utf8");
    expect(remixServer).toContain("serverRoutesOf(manifest, routeModules, context.future, context.isSpaMode)");

    // The copy Remix's server render loads (CommonJS), as it loads it.
    const { createStaticHandler, createStaticRouter } = requireHere(
      "react-router-dom/server",
    ) as typeof import("react-router-dom/server");
    const routes = routeTree();
    const handler = createStaticHandler(routes);
    const routersFor = async (url: string) => {
      const context = await handler.query(new Request(`http://localhost${url}`));
      if (context instanceof Response) throw new Error(`${url} answered ${context.status}`);
      return createStaticRouter(routes, context);
    };
    const first = await routersFor("/patient/check-ins/abc-123");
    const second = await routersFor("/therapist/patients/p1/learning");
    expect(second.routes).toBe(first.routes);
    // Each request still gets its own matches, with the data routes' route objects.
    expect(second.state.matches.map((match) => [match.route.id, match.params])).toEqual([
      ["root", { patientId: "p1" }],
      ["routes/therapist.patients.$patientId", { patientId: "p1" }],
      ["routes/therapist.patients.$patientId.learning", { patientId: "p1" }],
    ]);
    expect(
      second.state.matches.every((match) =>
        first.routes
          .flatMap(function all(route): unknown[] {
            return [route, ...(route.children ?? []).flatMap(all)];
          })
          .includes(match.route),
      ),
    ).toBe(true);
  });

  it("gives, from its caches, the very matches a fresh tree gives", () => {
    const kept = routeTree();
    for (let round = 0; round < 3; round++)
      for (const url of urls)
        expect(described(matchRoutes(kept, url)), `${url}, round ${round}`).toEqual(described(matchRoutes(routeTree(), url)));
  });

  it("matches the routes the router adds to its tree in place, as lazy route discovery does", async () => {
    const router = createRouter({
      routes: [{ id: "root", path: "", children: [{ id: "routes/_index", index: true }] }],
      history: createMemoryHistory({ initialEntries: ["/"] }),
      // As Remix finds a route it did not know yet: added under its parent, in the tree being matched.
      patchRoutesOnNavigation({ path: wanted, patch }) {
        if (wanted.startsWith("/late/")) patch("root", [{ id: "routes/late", path: "late/:x" }]);
      },
    }).initialize();
    try {
      // Matched often enough that the tree's branches are cached, then grown in place.
      for (const url of ["/", "/?again", "/"]) await router.navigate(url);
      await router.navigate("/late/2");
      expect(router.state.errors).toBeNull();
      expect(router.state.matches.map((match) => [match.route.id, match.params])).toEqual([
        ["root", { x: "2" }],
        ["routes/late", { x: "2" }],
      ]);
    } finally {
      router.dispose();
    }
  });
});
