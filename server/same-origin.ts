import type { Request } from "express";

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Cross-site request forgery defence for every non-GET request, resource routes and data requests
 * included (docs/decisions/003-same-origin-check.md). Browsers send Sec-Fetch-Site and Origin on
 * every POST; a request that carries neither, or names another site, is refused.
 */
export function isSameOriginRequest(req: Request): boolean {
  if (safeMethods.has(req.method)) return true;
  // A mail program's one-click unsubscribe (RFC 8058) posts from elsewhere, with neither header. The
  // signed token in the address is the whole authority there and no cookie is read, so a forged post
  // can do only what the link's holder could.
  if (req.path === "/unsubscribe") return true;
  const fetchSite = req.get("sec-fetch-site");
  if (fetchSite !== undefined) return fetchSite === "same-origin";
  const origin = req.get("origin");
  if (!origin || origin === "null") return false;
  return origin === `${req.protocol}://${req.get("host")}`;
}
