declare module "@remix-run/node" {
  interface AppLoadContext {
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
