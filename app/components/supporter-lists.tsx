import { Form } from "@remix-run/react";
import type { ComponentProps } from "react";
import { CheckInEntry, Replies } from "~/components/check-in-entry";
import { FamilySessionWhen, type FamilySessionTime } from "~/components/family-session";
import { useT } from "~/i18n/i18n";
import type { FamilySessionResponse, SupportAskStatus, SupportNeed } from "~/vocabulary";

/*
 * Lists a supporter's pages show, shared with the patient's preview of those pages: there
 * `answerable` is false and the supporter's buttons are left out, nothing else.
 */

type Ask = {
  linkId: string;
  itemId: string;
  patientName: string;
  need: SupportNeed;
  details: string | null;
  status: SupportAskStatus;
};

/** What the patient asked of the supporter in their support plan, with the supporter's answer. */
export function SupporterAsks({ asks, answerable }: { asks: Ask[]; answerable: boolean }) {
  const t = useT();
  return (
    <ul className="list" aria-label={t("plan.supporter.title")}>
      {asks.map((ask) => (
        <li key={`${ask.linkId}-${ask.itemId}`}>
          <strong>{t("plan.supporter.item", { patient: ask.patientName, need: t(`plan.need.${ask.need}`) })}</strong>
          {ask.details ? <p className="prose">{ask.details}</p> : null}
          <p className="meta">{t(`plan.status.${ask.status}`)}</p>
          {answerable ? (
            <Form method="post" className="card-actions">
              <input type="hidden" name="itemId" value={ask.itemId} />
              {ask.status !== "accepted" ? (
                <button type="submit" name="intent" value="accepted" className="button">
                  {t("plan.supporter.accept")}
                  <span className="visually-hidden"> {t(`plan.need.${ask.need}`)}</span>
                </button>
              ) : null}
              {ask.status !== "declined" ? (
                <button type="submit" name="intent" value="declined" className="button button--secondary">
                  {t("plan.supporter.decline")}
                  <span className="visually-hidden"> {t(`plan.need.${ask.need}`)}</span>
                </button>
              ) : null}
            </Form>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

type InvitedSession = FamilySessionTime & { linkId: string; patientName: string; response: FamilySessionResponse };

/** The family sessions the supporter is invited to, with their answer. */
export function SupporterSessions({
  sessions,
  timeZone,
  answerable,
  headingLevel = 2,
}: {
  sessions: InvitedSession[];
  timeZone: string;
  answerable: boolean;
  headingLevel?: 2 | 3;
}) {
  const t = useT();
  const Heading = `h${headingLevel}` as const;
  return (
    <ul className="list">
      {sessions.map((session) => (
        <li key={`${session.id}-${session.linkId}`}>
          <Heading>{t("familySessions.supporter.meetingFor", { patient: session.patientName })}</Heading>
          <FamilySessionWhen session={session} timeZone={timeZone} />
          {session.status === "scheduled" ? (
            <>
              <p>{t("familySessions.supporter.yourAnswer", { answer: t(`familySessions.response.${session.response}`) })}</p>
              {answerable ? (
                <Form method="post" className="actions">
                  <input type="hidden" name="sessionId" value={session.id} />
                  <button type="submit" name="answer" value="accepted" className="button">
                    {t("familySessions.supporter.accept")}
                  </button>
                  <button type="submit" name="answer" value="declined" className="button button--secondary">
                    {t("familySessions.supporter.decline")}
                  </button>
                </Form>
              ) : null}
            </>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

type SharedCheckIn = ComponentProps<typeof CheckInEntry>["checkIn"] & {
  patientName: string;
  replies: ComponentProps<typeof Replies>["replies"];
};

/** A check-in shared with the supporter, with the guide a slip comes with and everyone's replies. */
export function SupporterCheckIn({ entry, timeZone }: { entry: SharedCheckIn; timeZone: string }) {
  const t = useT();
  return (
    <>
      <CheckInEntry checkIn={entry} timeZone={timeZone} heading={entry.patientName} />
      {entry.kind === "slip" ? (
        <aside className="notice" aria-label={t("feed.slipGuide.label")}>
          <p>
            <strong>{t("feed.slipGuide.title")}</strong>
          </p>
          <p>{t("feed.slipGuide.body")}</p>
        </aside>
      ) : null}
      <Replies replies={entry.replies} />
    </>
  );
}
