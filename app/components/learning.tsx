import { useFormatLocale, useT } from "~/i18n/i18n";
import type { LearningStatus } from "~/models/learning-status";
import { formatCalendarDate, formatInstant } from "~/utils/dates";

const badgeTone: Record<LearningStatus, string> = {
  not_started: "badge",
  in_progress: "badge",
  completed: "badge badge--ok",
  overdue: "badge badge--danger",
};

export function LearningStatusBadge({ status }: { status: LearningStatus }) {
  const t = useT();
  return <span className={badgeTone[status]}>{t(`learning.status.${status}`)}</span>;
}

/** A labelled bar: the label names the module, so several bars on one page stay distinct for screen readers. */
export function LearningProgressBar({ percent, label }: { percent: number; label: string }) {
  const t = useT();
  return (
    <div className="progress">
      <progress max={100} value={percent} aria-label={t("learning.progress.label", { module: label })} />
      <span className="meta" aria-hidden="true">
        {t("learning.progress.percent", { percent })}
      </span>
    </div>
  );
}

type AssignmentFacts = {
  dueOn: string | null;
  assignedByRole: "therapist" | "patient";
  assignedByName: string;
};

/** "Asked by Maya Chen (therapist) · due 2 Dec 2026" */
export function AssignmentMeta({ assignment }: { assignment: AssignmentFacts }) {
  const t = useT();
  const locale = useFormatLocale();
  return (
    <p className="meta">
      {t(`learning.askedBy.${assignment.assignedByRole}`, { name: assignment.assignedByName })}
      {assignment.dueOn ? ` · ${t("learning.dueOn", { date: formatCalendarDate(locale, assignment.dueOn) })}` : null}
    </p>
  );
}

type CircleMember = {
  linkId: string;
  name: string;
  relationship: string;
  sharesEducation: boolean;
  assignments: (AssignmentFacts & {
    id: string;
    title: string;
    status: LearningStatus;
    bestScore: number | null;
    completedAt: Date | string | null;
    percent: number;
    sharedReflection: string | null;
  })[];
};

/** Each supporter's asked-for modules with their progress: for the patient and, with shared reflections, the therapist. */
export function CircleLearningList({ members, timeZone }: { members: CircleMember[]; timeZone: string }) {
  const t = useT();
  const locale = useFormatLocale();
  return (
    <ul className="list">
      {members.map((member) => (
        <li key={member.linkId}>
          <h3 className="card-title">{member.name}</h3>
          {!member.sharesEducation ? (
            <p className="meta">{t("learning.circle.noEducation")}</p>
          ) : member.assignments.length === 0 ? (
            <p className="meta">{t("learning.circle.nothingAsked")}</p>
          ) : (
            <ul className="plain-list">
              {member.assignments.map((assignment) => (
                <li key={assignment.id}>
                  <strong>{assignment.title}</strong> <LearningStatusBadge status={assignment.status} />
                  <AssignmentMeta assignment={assignment} />
                  <LearningProgressBar percent={assignment.percent} label={`${member.name}: ${assignment.title}`} />
                  <p className="meta">
                    {assignment.bestScore !== null
                      ? t("learning.circle.bestScore", { score: assignment.bestScore })
                      : t("learning.circle.noAttempt")}
                    {assignment.completedAt
                      ? ` · ${t("learning.circle.completedOn", { date: formatInstant(locale, timeZone, new Date(assignment.completedAt)) })}`
                      : null}
                  </p>
                  {assignment.sharedReflection ? (
                    <blockquote className="prose">
                      <p className="meta">{t("learning.circle.sharedReflection")}</p>
                      <p>{assignment.sharedReflection}</p>
                    </blockquote>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}
