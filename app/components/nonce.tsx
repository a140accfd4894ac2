import { createContext, useContext } from "react";

/** The CSP nonce is known on the server only; browsers hide it from scripts once the page loads. */
const NonceContext = createContext("");

export const NonceProvider = NonceContext.Provider;

export function useNonce() {
  return useContext(NonceContext);
}
