import { createHash, randomBytes } from "node:crypto";

/** A URL-safe random token of 256 bits, for session cookies and e-mailed links. */
export function randomToken(): string {
  return randomBytes(32).toString("base64url");
}

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

export function newId(): string {
  return crypto.randomUUID();
}
