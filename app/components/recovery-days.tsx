import { useT } from "~/i18n/i18n";
import { milestoneDays, type Recovery } from "~/models/milestones";

/** Days in recovery, with the marked days: reached ones ticked, the next one named. */
export function RecoveryDays({ recovery }: { recovery: Recovery }) {
  const t = useT();
  return (
    <>
      <p className="lead">{t("milestones.days", { count: recovery.days })}</p>
      <ol className="milestones" aria-label={t("milestones.marks")}>
        {milestoneDays.map((mark) => {
          const reached = recovery.reached.includes(mark);
          return (
            <li key={mark} className={reached ? "reached" : undefined}>
              {t("milestones.mark", { count: mark })}
              <span className="visually-hidden"> {reached ? t("milestones.reached") : t("milestones.notYet")}</span>
            </li>
          );
        })}
      </ol>
      {recovery.next ? (
        <p className="meta">{t("milestones.next", { count: recovery.next - recovery.days, mark: recovery.next })}</p>
      ) : null}
    </>
  );
}
