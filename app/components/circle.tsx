import { Link } from "@remix-run/react";
import { sharingCategories, type LinkStatus, type SharingCategory } from "~/vocabulary";
import { useFormatLocale, useT } from "~/i18n/i18n";
import { formatCalendarDate } from "~/utils/dates";

/** What a supporter sees of the patient, and does not see, under a consent: always both, with the reason. */
export function SharingScope({
  categories,
  patientName,
  headingLevel = 2,
}: {
  categories: readonly SharingCategory[];
  patientName: string;
  headingLevel?: 2 | 3;
}) {
  const t = useT();
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const hidden = sharingCategories.filter((category) => !categories.includes(category));
  return (
    <div className="scope">
      <Heading>{t("scope.canSee")}</Heading>
      <ul>
        {categories.map((category) => (
          <li key={category}>
            <strong>{t(`category.${category}.title`)}</strong>:{" "}
            {t(`supporter.category.${category}.description`, { name: patientName })}
          </li>
        ))}
      </ul>
      <Heading>{t("scope.cannotSee")}</Heading>
      <ul>
        {hidden.map((category) => (
          <li key={category}>
            <strong>{t(`category.${category}.title`)}</strong>: {t("scope.notChosen")}
          </li>
        ))}
        <li>{t("scope.neverShared", { name: patientName })}</li>
      </ul>
      <p className="hint">{t("scope.why")}</p>
    </div>
  );
}

/**
 * Required on every page that shows patient information to a supporter (42 CFR 2.32). A page about
 * several patients leaves out `linkId` and links each patient's consent scope beside them.
 */
export function Part2Notice({ linkId }: { linkId?: string }) {
  const t = useT();
  return (
    <aside className="notice part2" aria-label={t("part2.label")}>
      <p>
        {t("part2.notice")}
        {linkId ? (
          <>
            {" "}
            <Link to={`/supporter/circles/${linkId}/consent`}>{t("part2.scopeLink")}</Link>
          </>
        ) : null}
      </p>
    </aside>
  );
}

const badgeTone: Partial<Record<LinkStatus, string>> = {
  active: "badge badge--ok",
  refused: "badge badge--danger",
  revoked: "badge badge--danger",
};

export function LinkStatusBadge({ status, invitationExpired = false }: { status: LinkStatus; invitationExpired?: boolean }) {
  const t = useT();
  if (status === "invited" && invitationExpired) return <span className="badge">{t("linkStatus.invitationExpired")}</span>;
  return <span className={badgeTone[status] ?? "badge"}>{t(`linkStatus.${status}`)}</span>;
}

/** A circle the supporter was in and that has ended: said plainly, with the day, in place of what it shared. */
export function EndedCircleNotice({ patientName, endedOn }: { patientName: string; endedOn: string }) {
  const t = useT();
  const locale = useFormatLocale();
  return (
    <p className="notice">
      {t("supporter.ended.on", { name: patientName, date: formatCalendarDate(locale, endedOn) })}{" "}
      {t("supporter.ended.nothingMore", { name: patientName })}
    </p>
  );
}
