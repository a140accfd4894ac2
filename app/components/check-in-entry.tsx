import type { ReplyPreset } from "~/vocabulary";
import type { CheckInInput } from "~/models/check-in.server";
import { useFormatLocale, useT } from "~/i18n/i18n";
import { formatInstant } from "~/utils/dates";

export type CheckInView = Omit<CheckInInput, "audience" | "sharedWithCareTeam"> & { createdAt: number };

export type ReplyView = { id: string; preset: ReplyPreset | null; message: string | null; supporterName: string };

/** One check-in as words, the same for the patient, a supporter and the therapist. Text is always text. */
export function CheckInEntry({ checkIn, timeZone, heading }: { checkIn: CheckInView; timeZone: string; heading?: string }) {
  const t = useT();
  const locale = useFormatLocale();
  return (
    <>
      <p className="meta">
        {heading ? <strong>{heading} · </strong> : null}
        {formatInstant(locale, timeZone, checkIn.createdAt)}
        {checkIn.kind === "slip" ? (
          <>
            {" "}
            <span className="badge">{t("checkIn.slip.badge")}</span>
          </>
        ) : null}
      </p>
      <dl className="check-in">
        {checkIn.mood !== null ? (
          <>
            <dt>{t("checkIn.mood.legend")}</dt>
            <dd>{t(`checkIn.mood.${checkIn.mood as 1 | 2 | 3 | 4 | 5}`)}</dd>
          </>
        ) : null}
        {checkIn.craving !== null ? (
          <>
            <dt>{t("checkIn.craving.label")}</dt>
            <dd>{t("checkIn.craving.value", { value: checkIn.craving })}</dd>
          </>
        ) : null}
        {checkIn.wins ? (
          <>
            <dt>{t("checkIn.wins")}</dt>
            <dd className="prose">{checkIn.wins}</dd>
          </>
        ) : null}
        {checkIn.hard ? (
          <>
            <dt>{t("checkIn.hard")}</dt>
            <dd className="prose">{checkIn.hard}</dd>
          </>
        ) : null}
        {checkIn.helpRequest ? (
          <>
            <dt>{t("checkIn.helpRequest")}</dt>
            <dd className="prose">{checkIn.helpRequest}</dd>
          </>
        ) : null}
      </dl>
    </>
  );
}

export function Replies({ replies }: { replies: ReplyView[] }) {
  const t = useT();
  if (replies.length === 0) return null;
  return (
    <ul className="replies" aria-label={t("reply.listLabel")}>
      {replies.map((reply) => (
        <li key={reply.id}>
          <strong>{reply.supporterName}:</strong> {reply.preset ? t(`reply.preset.${reply.preset}`) : reply.message}
        </li>
      ))}
    </ul>
  );
}
