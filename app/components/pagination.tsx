import { Link } from "@remix-run/react";
import { useT } from "~/i18n/i18n";

/**
 * "Newest" and "Older" for a list paged by position (`?before=`), newest first. `query` holds the
 * list's filters (already a query string), which both links keep.
 */
export function OlderNewer({
  list,
  isFirstPage,
  next,
  query = "",
}: {
  list: string;
  isFirstPage: boolean;
  next: string | null;
  query?: string;
}) {
  const t = useT();
  if (isFirstPage && !next) return null;
  const withFilters = (before?: string) => {
    const search = new URLSearchParams(query);
    if (before) search.set("before", before);
    const text = search.toString();
    return text ? `?${text}` : ".";
  };
  return (
    <nav className="actions" aria-label={t("pagination.label", { list })}>
      {!isFirstPage ? <Link to={withFilters()}>{t("pagination.newest")}</Link> : null}
      {next ? <Link to={withFilters(next)}>{t("pagination.older")}</Link> : null}
    </nav>
  );
}
