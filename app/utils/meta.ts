import type { MetaFunction } from "@remix-run/node";
import { translator, type LocaleInfo, type MessageKey, type Translate } from "~/i18n/i18n";

type Matches = Parameters<MetaFunction>[0]["matches"];

/** The reader's translator in a `meta` function: the root loader chose the language (English when it did not run). */
export function metaTranslator(matches: Matches): Translate {
  const root = matches.find((match) => match.id === "root")?.data as { locale?: LocaleInfo } | undefined;
  return translator(root?.locale?.language ?? "en");
}

/** A page's title in the reader's language, after the product's name. */
export function pageTitle(key: MessageKey): MetaFunction {
  return ({ matches }) => [{ title: `${metaTranslator(matches)(key)} · Care Circle` }];
}
