import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import type { Database } from "../db/database";
import compression from "compression";
import express, { type NextFunction, type Request, type Response } from "express";
import helmet from "helmet";
import morgan from "morgan";
import { isSameOriginRequest } from "./same-origin";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export type AppOptions = {
  build: ServerBuild;
  db: Database;
  trustProxy: number;
  logRequests: boolean;
  /** Called when a request that may have changed something has been answered (the mail jobs' kick). */
  afterChange?: () => void;
};

/** The HTTP layer: static files, security headers, the same-origin check, then Remix. */
export function createApp({ build, db, trustProxy, logRequests, afterChange }: AppOptions) {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", trustProxy);

  if (logRequests) {
    // The path only: query strings can carry single-use tokens, and nothing else about the request is logged.
    // A calendar feed's path is its secret token, so that part is left out too.
    morgan.token("path-only", (req: Request) => req.path.replace(/^\/calendar\/[^/]*/, "/calendar/[token]"));
    app.use(morgan(":method :path-only :status :res[content-length] - :response-time ms"));
  }

  // Brotli or gzip for text of 1 KiB and more (HTML, scripts, styles, JSON); decision 024.
  app.use(
    compression({
      threshold: 1024,
      // Fast settings: most of the saving for little CPU on answers of a few to a few hundred KiB.
      brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1, [zlib.constants.BROTLI_PARAM_LGWIN]: 18 } },
      level: 1,
    }),
  );
  app.use("/build", express.static(path.join(root, "public/build"), { immutable: true, maxAge: "1y" }));
  // The few files at the top of public/ (the icons) are served by name: a page request never looks on disk.
  const topFiles = new Set(
    fs
      .readdirSync(path.join(root, "public"), { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => `/${entry.name}`),
  );
  const topFileHandler = express.static(path.join(root, "public"), { maxAge: "1h", index: false });
  app.use((req, res, next) => {
    if (topFiles.has(req.path)) topFileHandler(req, res, next);
    else next();
  });

  app.use((_req, res, next) => {
    res.locals.cspNonce = crypto.randomBytes(16).toString("base64");
    next();
  });

  app.use((req, res, next) => {
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          "default-src": ["'self'"],
          "script-src": ["'self'", `'nonce-${res.locals.cspNonce as string}'`],
          "style-src": ["'self'"],
          "img-src": ["'self'", "data:"],
          "font-src": ["'self'"],
          "connect-src": ["'self'"],
          "form-action": ["'self'"],
          "frame-ancestors": ["'none'"],
          "base-uri": ["'none'"],
          "object-src": ["'none'"],
          ...(req.secure ? { "upgrade-insecure-requests": [] } : {}),
        },
      },
      referrerPolicy: { policy: "same-origin" },
      strictTransportSecurity: req.secure ? { maxAge: 63072000, includeSubDomains: true } : false,
      crossOriginEmbedderPolicy: false,
    })(req, res, next);
  });

  app.use((req, res, next) => {
    // Pages can carry patient data: no browser or proxy may keep a copy.
    res.setHeader("Cache-Control", "no-store");
    if (afterChange && req.method === "POST") res.once("finish", afterChange);
    if (isSameOriginRequest(req)) return next();
    res.status(403).type("text/plain").send("Forbidden: this request did not come from Care Circle.");
  });

  app.all(
    "*",
    // Remix's Express adapter catches its own errors and hands them to `next`: nothing is left floating.
    // eslint-disable-next-line @typescript-eslint/no-misused-promises
    createRequestHandler({
      build,
      // Always production: development mode would send stack traces to the browser.
      mode: "production",
      getLoadContext: (req, res) => ({
        db,
        cspNonce: res.locals.cspNonce as string,
        clientAddress: req.ip ?? null,
      }),
    }),
  );

  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    console.error("Unhandled error", error instanceof Error ? error.name : typeof error);
    if (!res.headersSent) res.status(500).type("text/plain").send("Something went wrong. Please try again.");
  });

  return app;
}
