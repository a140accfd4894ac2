import i18next from "i18next";
import { describe, expect, it } from "vitest";
import { addCatalogue, translator, type MessageKey } from "~/i18n/i18n";
import { en } from "~/i18n/en";
import { es } from "~/i18n/es";

/** Each `{{placeholder}}` a message fills in, in order of first appearance, without repeats. */
function placeholders(message: string) {
  return [...new Set([...message.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((match) => match[1]))].sort();
}

describe("the Spanish catalogue", () => {
  it("has every key of the English one, and no other", () => {
    expect(Object.keys(es).sort()).toEqual(Object.keys(en).sort());
  });

  it("fills in the same placeholders as the English, in every message", () => {
    const different = Object.entries(en).flatMap(([key, english]) => {
      const spanish = es[key as keyof typeof es];
      return JSON.stringify(placeholders(english)) === JSON.stringify(placeholders(spanish)) ? [] : [key];
    });
    expect(different).toEqual([]);
  });

  it("leaves no message empty", () => {
    expect(Object.entries(es).filter(([, message]) => message.trim() === "")).toEqual([]);
  });
});

describe("messages as the app looks them up", () => {
  /** The reference: i18next itself, set up as the app sets it up, with both catalogues. */
  const reference = i18next.createInstance();
  void reference.init({
    resources: { en: { translation: en }, es: { translation: es } },
    lng: "en",
    fallbackLng: "en",
    keySeparator: false,
    nsSeparator: false,
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
    showSupportNotice: false,
  });
  addCatalogue("es", es);

  it("use only {{name}} placeholders, which the kept lookup fills in itself", () => {
    const other = Object.entries({ ...en, ...es }).filter(([, message]) => /\$t\(|\{\{[^}]*[^\w}][^}]*\}\}/.test(message));
    expect(other).toEqual([]);
  });

  it("read the same as i18next gives them, for every message in both languages, with and without values", () => {
    for (const language of ["en", "es"] as const) {
      const t = translator(language);
      const i18n = reference.getFixedT(language);
      for (const [key, message] of Object.entries(en)) {
        const values = Object.fromEntries(placeholders(message).map((name, i) => [name!, i % 2 ? `«${name}»` : i + 7]));
        const plural = /_(zero|one|other)$/.test(key);
        const asked = (plural ? key.replace(/_(zero|one|other)$/, "") : key) as MessageKey;
        const counts = [0, 1, 2, 3, 21, 1_000_000].map((count) => ({ ...values, count }));
        for (const options of [undefined, values, ...counts]) {
          if (!plural && options && "count" in options && !("count" in values)) continue;
          expect(t(asked, options), `${language} ${asked} ${JSON.stringify(options)}`).toBe(i18n(asked, options));
        }
      }
      // Asked twice, a message reads the same (the second time from what was kept).
      expect(t("reply.open")).toBe(t("reply.open"));
    }
  });
});
