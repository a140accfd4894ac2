import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { addCatalogue } from "~/i18n/i18n";

/**
 * The page was rendered in the language its <html lang> names: that catalogue (English is always in the
 * bundle) is fetched as a chunk of its own before hydrating, so the first render matches the server's.
 */
async function loadPageLanguage() {
  if (document.documentElement.lang === "es") addCatalogue("es", (await import("~/i18n/es")).es);
}

void loadPageLanguage().then(() =>
  startTransition(() => {
    hydrateRoot(
      document,
      <StrictMode>
        <RemixBrowser />
      </StrictMode>,
    );
  }),
);
