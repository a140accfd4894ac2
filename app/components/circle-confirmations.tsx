import { useT, type MessageKey } from "~/i18n/i18n";
import type { Confirmation } from "~/components/confirm";

/** Where ending sharing with one person is confirmed without JavaScript: the circle page, asking. */
export const endSharingPath = (linkId: string) => `/patient/circle?confirm=revoke&link=${linkId}`;

/** What ending sharing with a supporter does, said the same on the page and in the dialog. */
export function useEndSharingConfirmation(member: { id: string; name: string }, error?: MessageKey): Confirmation {
  const t = useT();
  return {
    title: t("circle.end.title", { name: member.name }),
    body: (
      <>
        {error ? (
          <p className="notice notice--error" role="alert">
            {t(error)}
          </p>
        ) : null}
        <p>{t("circle.end.what", { name: member.name })}</p>
        <p>{t("circle.end.told", { name: member.name })}</p>
        <p>{t("circle.end.again", { name: member.name })}</p>
      </>
    ),
    action: endSharingPath(member.id),
    intent: "revoke",
    confirmLabel: t("circle.end.confirm", { name: member.name }),
    fields: <input type="hidden" name="linkId" value={member.id} />,
  };
}

/** What leaving a care circle does, for the supporter. */
export function useLeaveConfirmation(linkId: string): Confirmation {
  const t = useT();
  return {
    title: t("scope.leave.title"),
    body: (
      <>
        <p>{t("scope.leave.body")}</p>
        <p>{t("scope.leave.again")}</p>
      </>
    ),
    action: `/supporter/circles/${linkId}/consent?confirm=leave`,
    intent: "leave",
    confirmLabel: t("scope.leave.submit"),
  };
}
