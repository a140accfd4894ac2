import type { Database } from "#db/database";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The process's one database handle, opened at start; loaders and actions pass it to the models. */
    db: Database;
    /** Nonce for this response's Content-Security-Policy. */
    cspNonce: string;
    /** The client's address as the server sees it (after TRUST_PROXY), for rate limits and the audit trail. */
    clientAddress: string | null;
  }
  interface Future {
    v3_singleFetch: true;
  }
}

export {};
