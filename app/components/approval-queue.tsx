import { Form, useActionData, useLoaderData } from "@remix-run/react";
import type { SharingCategory } from "~/vocabulary";
import { StatusNotices, type StatusNotice } from "~/components/status-notices";
import { useFormatLocale, useT, type MessageKey } from "~/i18n/i18n";
import { formatCalendarDate } from "~/utils/dates";

export type QueueItem = {
  id: string;
  patientName: string;
  supporterName: string;
  relationship: string;
  categories: SharingCategory[];
  expiryKind: "date" | "episode_end";
  expiresOn: string | null;
  invitedOn: string;
  acceptedOn: string | null;
};

const notices: StatusNotice[] = [{ param: "decided", message: "approvals.notice.decided" }];

/** Requests waiting for the care team, each with approve / refuse / safety-concern forms. */
export function ApprovalQueue({ items }: { items: QueueItem[] }) {
  const t = useT();
  const locale = useFormatLocale();
  const actionData = useActionData<{ linkId: string; error: MessageKey }>();
  return (
    <div className="page">
      <h1>{t("approvals.title")}</h1>
      <StatusNotices notices={notices} />
      <p className="lead">{t("approvals.lead")}</p>
      {items.length === 0 ? <p>{t("approvals.empty")}</p> : null}
      <ul className="list" aria-label={t("approvals.title")}>
        {items.map((item) => {
          const error = actionData?.linkId === item.id ? actionData.error : null;
          const errorId = `decision-error-${item.id}`;
          return (
            <li key={item.id}>
              <h2>{t("approvals.item", { supporter: item.supporterName, patient: item.patientName })}</h2>
              <dl>
                <dt>{t("approvals.relationship")}</dt>
                <dd>{t(`relationship.${item.relationship}` as MessageKey)}</dd>
                <dt>{t("approvals.categories")}</dt>
                <dd>{item.categories.map((category) => t(`category.${category}.title`)).join(", ")}</dd>
                <dt>{t("approvals.expiry")}</dt>
                <dd>
                  {item.expiryKind === "date" && item.expiresOn
                    ? formatCalendarDate(locale, item.expiresOn)
                    : t("approvals.untilEpisodeEnd")}
                </dd>
                <dt>{t("approvals.invited")}</dt>
                <dd>{formatCalendarDate(locale, item.invitedOn)}</dd>
              </dl>
              <Form method="post" className="stack">
                <input type="hidden" name="linkId" value={item.id} />
                <div className="field">
                  <label htmlFor={`reason-${item.id}`}>{t("approvals.reason")}</label>
                  <p className="hint" id={`reason-hint-${item.id}`}>
                    {t("approvals.reason.hint")}
                  </p>
                  <textarea
                    id={`reason-${item.id}`}
                    name="reason"
                    maxLength={1000}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={`reason-hint-${item.id}${error ? ` ${errorId}` : ""}`}
                  />
                  {error ? (
                    <p className="error" id={errorId}>
                      {t(error)}
                    </p>
                  ) : null}
                </div>
                <div className="actions">
                  <button type="submit" name="intent" value="approve" className="button">
                    {t("approvals.approve")}
                  </button>
                  <button type="submit" name="intent" value="refuse" className="button button--secondary">
                    {t("approvals.refuse")}
                  </button>
                  <button type="submit" name="intent" value="safety" className="button button--danger">
                    {t("approvals.safety")}
                  </button>
                </div>
              </Form>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** The page component of both approval-queue routes. */
export function ApprovalQueuePage() {
  const { items } = useLoaderData<{ items: QueueItem[] }>();
  return <ApprovalQueue items={items} />;
}
