import { Link } from "@remix-run/react";
import { useT } from "~/i18n/i18n";

/** "Newest" and "Older" for a list paged by position (`?before=`), newest first. */
export function OlderNewer({ list, isFirstPage, next }: { list: string; isFirstPage: boolean; next: string | null }) {
  const t = useT();
  if (isFirstPage && !next) return null;
  return (
    <nav className="actions" aria-label={t("pagination.label", { list })}>
      {!isFirstPage ? <Link to=".">{t("pagination.newest")}</Link> : null}
      {next ? <Link to={`?before=${next}`}>{t("pagination.older")}</Link> : null}
    </nav>
  );
}
