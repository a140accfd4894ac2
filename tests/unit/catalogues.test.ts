import { describe, expect, it } from "vitest";
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
