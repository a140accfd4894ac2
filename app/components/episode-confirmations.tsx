import { useT, type MessageKey } from "~/i18n/i18n";
import type { Confirmation } from "~/components/confirm";
import { PeopleOptions } from "~/components/people-options";
import { episodeEndReasons } from "~/vocabulary";

/** The reason an episode ends, as radio buttons; `idPrefix` keeps ids apart when a page holds several. */
function EndReasonFields({ idPrefix, error }: { idPrefix: string; error?: string }) {
  const t = useT();
  const errorId = `${idPrefix}-reason-error`;
  return (
    <fieldset aria-describedby={error ? errorId : undefined}>
      <legend>{t("episode.end.reason")}</legend>
      {episodeEndReasons.map((reason) => (
        <label key={reason} className="choice">
          <input type="radio" name="reason" value={reason} id={`${idPrefix}-reason-${reason}`} />
          <span>{t(`episode.endReason.${reason}`)}</span>
        </label>
      ))}
      {error ? (
        <p id={errorId} className="error">
          {t(error as MessageKey)}
        </p>
      ) : null}
    </fieldset>
  );
}

/** What ending a patient's episode does, said the same on the page and in the dialog. */
export function useEndEpisodeConfirmation(patient: { id: string; name: string }, action: string, error?: string): Confirmation {
  const t = useT();
  return {
    title: t("episode.end.title", { name: patient.name }),
    body: (
      <>
        <p>{t("episode.end.what", { name: patient.name })}</p>
        <p>{t("episode.end.consents")}</p>
        <p>{t("episode.end.keeps", { name: patient.name })}</p>
        <p>{t("episode.end.next")}</p>
      </>
    ),
    action,
    intent: "end-episode",
    confirmLabel: t("episode.end.confirm"),
    fields: <EndReasonFields idPrefix={`end-${patient.id}`} error={error} />,
  };
}

/** What disabling an account does; a therapist with open episodes names the colleague who takes them. */
export function useDisableConfirmation(
  account: { id: string; name: string; openEpisodes: number },
  colleagues: { id: string; name: string }[],
  action: string,
  error?: string,
): Confirmation {
  const t = useT();
  const selectId = `colleague-${account.id}`;
  const errorId = `${selectId}-error`;
  return {
    title: t("disable.title", { name: account.name }),
    body: (
      <>
        <p>{t("disable.what", { name: account.name })}</p>
        {account.openEpisodes > 0 ? <p>{t("disable.handover", { count: account.openEpisodes })}</p> : null}
      </>
    ),
    action,
    intent: "disable",
    confirmLabel: t("disable.confirm"),
    fields:
      account.openEpisodes > 0 ? (
        <div className="field">
          <label htmlFor={selectId}>{t("disable.colleague")}</label>
          <select
            id={selectId}
            name="colleagueId"
            defaultValue=""
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
          >
            <option value="">{t("disable.colleague.choose")}</option>
            <PeopleOptions people={colleagues.filter((colleague) => colleague.id !== account.id)} />
          </select>
          {error ? (
            <p id={errorId} className="error">
              {t(error as MessageKey)}
            </p>
          ) : null}
        </div>
      ) : undefined,
  };
}
