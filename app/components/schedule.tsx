import { useFormatLocale, useT, type MessageKey } from "~/i18n/i18n";
import { formatCalendarDate, formatInstant } from "~/utils/dates";
import type { AttendanceStatus } from "~/vocabulary";

type Group = {
  name: string;
  weekday: number;
  startTime: string;
  durationMinutes: number;
  location: string | null;
  videoUrl: string | null;
};

export function weekdayKey(weekday: number) {
  return `weekday.${weekday}` as MessageKey;
}

/** When a group meets each week, for how long, and where. */
export function GroupWhen({ group, next, timeZone }: { group: Group; next?: Date | string; timeZone: string }) {
  const t = useT();
  const locale = useFormatLocale();
  return (
    <>
      <p>
        {t("schedule.weekly", { day: t(weekdayKey(group.weekday)), time: group.startTime })} ·{" "}
        {t("familySessions.length", { count: group.durationMinutes })}
      </p>
      {next ? (
        <p>
          <strong>{t("schedule.next", { when: formatInstant(locale, timeZone, new Date(next)) })}</strong>
        </p>
      ) : null}
      {group.location ? <p>{t("familySessions.where", { place: group.location })}</p> : null}
      {group.videoUrl ? (
        <p>
          <a href={group.videoUrl} rel="noreferrer noopener">
            {t("familySessions.videoLink")}
            <span className="visually-hidden"> ({group.name})</span>
          </a>
        </p>
      ) : null}
    </>
  );
}

/** Recent attendance as a table: date, group, and what was recorded, in words. */
export function AttendanceTable({
  rows,
  caption,
}: {
  rows: { id: string; date: string; groupName: string; status: AttendanceStatus }[];
  caption: string;
}) {
  const t = useT();
  const locale = useFormatLocale();
  if (rows.length === 0) return <p>{t("schedule.attendance.none")}</p>;
  return (
    <table>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t("schedule.attendance.date")}</th>
          <th scope="col">{t("schedule.attendance.group")}</th>
          <th scope="col">{t("schedule.attendance.status")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id}>
            <td>{formatCalendarDate(locale, row.date)}</td>
            <td>{row.groupName}</td>
            <td>{t(`attendanceStatus.${row.status}`)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A patient's groups with their next meeting, then their recent attendance. */
export function PatientSchedule({
  groups,
  attendance,
  timeZone,
  headingLevel,
}: {
  groups: (Group & { id: string; next: { startsAt: Date | string } })[];
  attendance: { id: string; date: string; groupName: string; status: AttendanceStatus }[];
  timeZone: string;
  headingLevel: 2 | 3 | 4;
}) {
  const t = useT();
  const Heading = `h${headingLevel}` as const;
  const ItemHeading = `h${headingLevel + 1}` as "h3" | "h4" | "h5";
  return (
    <>
      <Heading>{t("schedule.groups.heading")}</Heading>
      {groups.length === 0 ? (
        <p>{t("schedule.groups.none")}</p>
      ) : (
        <ul className="list">
          {groups.map((group) => (
            <li key={group.id}>
              <ItemHeading>{group.name}</ItemHeading>
              <GroupWhen group={group} next={group.next.startsAt} timeZone={timeZone} />
            </li>
          ))}
        </ul>
      )}
      <Heading>{t("schedule.attendance.heading")}</Heading>
      <AttendanceTable rows={attendance} caption={t("schedule.attendance.heading")} />
    </>
  );
}
