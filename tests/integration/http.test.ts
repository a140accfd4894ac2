import http from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import type { Server } from "node:http";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../server/app";
import { db } from "../support/database";
import { createProgramWithStaff, testPassword } from "../support/fixtures";
import { loadBuild } from "../support/remix-handler";

let server: Server;
let base: string;
let patientEmail: string;

beforeAll(async () => {
  const app = createApp({ build: await loadBuild(), db, trustProxy: 1, logRequests: false });
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  patientEmail = (await createProgramWithStaff()).patient.email;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

function post(path: string, headers: Record<string, string>, body = "email=a%40b.test&password=x") {
  return fetch(`${base}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body,
  });
}

describe("security headers", () => {
  it("sends a nonce-based CSP that every inline script carries, and no unsafe-inline", async () => {
    const response = await fetch(`${base}/login`);
    const csp = response.headers.get("Content-Security-Policy")!;
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await response.text();
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) {
      if (script.includes(" src=")) continue;
      expect(script).toContain(`nonce="${nonce}"`);
    }
    const second = (await fetch(`${base}/login`)).headers.get("Content-Security-Policy")!;
    expect(second).not.toContain(nonce);
  });

  it("forbids caching, sniffing and cross-site referrers on every page", async () => {
    const response = await fetch(`${base}/login`);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(response.headers.get("Referrer-Policy")).toBe("same-origin");
    expect(response.headers.get("Strict-Transport-Security")).toBeNull();
    expect(response.headers.get("X-Powered-By")).toBeNull();
  });

  it("adds HSTS only behind TLS", async () => {
    const response = await fetch(`${base}/login`, { headers: { "X-Forwarded-Proto": "https" } });
    expect(response.headers.get("Strict-Transport-Security")).toMatch(/max-age=\d+/);
  });
});

/** The raw answer to a GET (no decoding), as a browser asking for `encoding` gets it. */
function rawGet(path: string, encoding: string) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    http
      .get(`${base}${path}`, { headers: { "Accept-Encoding": encoding } }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }),
        );
      })
      .on("error", reject);
  });
}

describe("compression and static files", () => {
  it("sends pages in brotli or gzip as the browser asks, and the same page either way", async () => {
    const plain = await rawGet("/privacy", "identity");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    const brotli = await rawGet("/privacy", "br, gzip");
    expect(brotli.headers["content-encoding"]).toBe("br");
    const gzip = await rawGet("/privacy", "gzip");
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    const text = (body: Buffer) => body.toString("utf8").replace(/nonce="[^"]+"|'nonce-[^']+'/g, "nonce");
    expect(text(zlib.brotliDecompressSync(brotli.body))).toBe(text(plain.body));
    expect(text(zlib.gunzipSync(gzip.body))).toBe(text(plain.body));
    expect(brotli.body.length).toBeLessThan(plain.body.length / 2);
  });

  it("leaves a small file as it is", async () => {
    const icon = await rawGet("/favicon.svg", "br, gzip");
    expect(icon.body.length).toBeLessThan(1024);
    expect(icon.headers["content-encoding"]).toBeUndefined();
  });

  it("serves the icons by name, and leaves every other path to the app", async () => {
    const icon = await fetch(`${base}/favicon.svg`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get("Content-Type")).toMatch(/^image\/svg\+xml/);
    expect((await fetch(`${base}/build/../package.json`)).status).toBe(404);
    expect((await fetch(`${base}/favicon.svg.map`)).status).toBe(404);
  });
});

describe("the same-origin check", () => {
  it("refuses cross-site and origin-less POSTs to pages, data requests and resource routes", async () => {
    for (const path of ["/login", "/login.data", "/healthz", "/logout", "/nowhere"]) {
      expect((await post(path, { Origin: "https://evil.example" })).status, path).toBe(403);
      expect((await post(path, { "Sec-Fetch-Site": "cross-site", Origin: base })).status, path).toBe(403);
      expect((await post(path, {})).status, path).toBe(403);
    }
  });

  it("lets same-origin forms through", async () => {
    expect((await post("/login", { Origin: base })).status).toBe(400);
    expect((await post("/login", { "Sec-Fetch-Site": "same-origin" })).status).toBe(400);
    const signedIn = await post(
      "/login",
      { Origin: base },
      new URLSearchParams({ email: patientEmail, password: testPassword }).toString(),
    );
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.get("Location")).toBe("/patient");
  });
});

describe("sign-in throttling", () => {
  it("answers an address that keeps guessing with 429 and Retry-After, and lets the owner in from another", async () => {
    const form = (password: string) => new URLSearchParams({ email: patientEmail, password }).toString();
    const signInFrom = (address: string, password: string) =>
      post("/login", { Origin: base, "X-Forwarded-For": address }, form(password));
    for (let attempt = 0; attempt < 5; attempt++) {
      expect((await signInFrom("203.0.113.7", "wrong password here")).status).toBe(400);
    }

    const throttled = await signInFrom("203.0.113.7", testPassword);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("Retry-After")).toMatch(/^\d+$/);
    expect(Number(throttled.headers.get("Retry-After"))).toBeGreaterThan(14 * 60);
    expect(Number(throttled.headers.get("Retry-After"))).toBeLessThanOrEqual(15 * 60);
    const html = await throttled.text();
    expect(html).toContain("Too many attempts. Wait 15 minutes");
    expect(html).not.toMatch(/\bat \S+ \(|node_modules|\.tsx?:\d+/);

    const fromScript = await post("/login.data", { Origin: base, "X-Forwarded-For": "203.0.113.7" }, form(testPassword));
    expect(fromScript.status).toBe(429);
    expect(fromScript.headers.get("Retry-After")).toMatch(/^\d+$/);

    expect((await signInFrom("198.51.100.4", testPassword)).status).toBe(302);
  });
});

describe("errors", () => {
  it("answer with a page, never a stack trace", async () => {
    const missing = await fetch(`${base}/no/such/page`);
    expect(missing.status).toBe(404);
    const html = await missing.text();
    expect(html).toContain("Page not found");
    expect(html).not.toMatch(/\bat \S+ \(|node_modules|\.tsx?:\d+/);

    const garbled = await post("/login", { Origin: base, "Content-Type": "multipart/form-data; boundary=x" }, "not multipart");
    expect(garbled.status).toBe(400);
    expect(await garbled.text()).not.toMatch(/\bat \S+ \(|node_modules|\.tsx?:\d+/);
  });
});

describe("GET /healthz", () => {
  it("answers ok after a database round trip, and 503 when the database is unusable", async () => {
    const ok = await fetch(`${base}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: "ok" });

    const sqlite = new Database(process.env.DATABASE_PATH);
    sqlite.pragma("foreign_keys = OFF");
    sqlite.exec("DROP TABLE programs");
    sqlite.close();

    const broken = await fetch(`${base}/healthz`);
    expect(broken.status).toBe(503);
    expect(await broken.json()).toEqual({ status: "unavailable" });
  });
});
