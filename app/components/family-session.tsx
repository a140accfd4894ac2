import { useFormatLocale, useT } from "~/i18n/i18n";
import { formatInstant } from "~/utils/dates";
import type { FamilySessionResponse, FamilySessionStatus } from "~/vocabulary";

export type FamilySessionTime = {
  id: string;
  startsAt: Date | string;
  durationMinutes: number;
  location: string | null;
  videoUrl: string | null;
  status: FamilySessionStatus;
};

/** When (in the program's time zone) and where a session is, and whether it was cancelled. */
export function FamilySessionWhen({ session, timeZone }: { session: FamilySessionTime; timeZone: string }) {
  const t = useT();
  const locale = useFormatLocale();
  return (
    <>
      <p>
        <strong>{formatInstant(locale, timeZone, new Date(session.startsAt))}</strong>{" "}
        {session.status === "cancelled" ? (
          <span className="badge badge--danger">{t("familySessions.status.cancelled")}</span>
        ) : null}
      </p>
      <p className="meta">
        {t("familySessions.length", { count: session.durationMinutes })} · {t("familySessions.timeZone", { zone: timeZone })}
      </p>
      {session.location ? <p>{t("familySessions.where", { place: session.location })}</p> : null}
      {session.videoUrl ? (
        <p>
          <a href={session.videoUrl} rel="noreferrer noopener">
            {t("familySessions.videoLink")}
          </a>
        </p>
      ) : null}
      <p>
        <a href={`/family-sessions/${session.id}/calendar.ics`} download>
          {t("familySessions.addToCalendar")}
        </a>
      </p>
    </>
  );
}

/** Who is invited and what each answered. */
export function InviteeAnswers({ invitees }: { invitees: { linkId: string; name: string; response: FamilySessionResponse }[] }) {
  const t = useT();
  return (
    <ul className="list">
      {invitees.map((invitee) => (
        <li key={invitee.linkId}>
          {invitee.name}: <strong>{t(`familySessions.response.${invitee.response}`)}</strong>
        </li>
      ))}
    </ul>
  );
}
