import { useId } from "react";
import { useFormatLocale, useT } from "~/i18n/i18n";
import type { TrendWeek } from "~/models/trends";
import { formatCalendarDate } from "~/utils/dates";

const width = 320;
const height = 110;
const pad = { left: 26, right: 8, top: 8, bottom: 20 };

/** One measure over the weeks, drawn on the server as SVG; gaps where a week has no value. */
function Chart({
  weeks,
  measure,
  min,
  max,
  color,
}: {
  weeks: TrendWeek[];
  measure: "mood" | "craving";
  min: number;
  max: number;
  color: string;
}) {
  const t = useT();
  const locale = useFormatLocale();
  const id = useId();
  const x = (i: number) => pad.left + (i * (width - pad.left - pad.right)) / Math.max(1, weeks.length - 1);
  const y = (value: number) => pad.top + ((max - value) * (height - pad.top - pad.bottom)) / (max - min);
  const points = weeks.map((week, i) => (week[measure] === null ? null : { x: x(i), y: y(week[measure]), value: week[measure] }));
  const segments: string[] = [];
  let current: string[] = [];
  for (const point of points) {
    if (point) {
      current.push(`${point.x.toFixed(1)},${point.y.toFixed(1)}`);
    } else if (current.length) {
      segments.push(current.join(" "));
      current = [];
    }
  }
  if (current.length) segments.push(current.join(" "));
  const known = weeks.filter((week) => week[measure] !== null);
  const summary =
    known.length === 0
      ? t("trend.noData")
      : t("trend.summary", {
          first: known[0]![measure],
          firstWeek: formatCalendarDate(locale, known[0]!.weekStart),
          last: known.at(-1)![measure],
          lastWeek: formatCalendarDate(locale, known.at(-1)!.weekStart),
          min,
          max,
        });
  return (
    <figure className="trend">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-desc`}
        className="trend__svg"
      >
        <title id={`${id}-title`}>{t(`trend.${measure}.title`)}</title>
        <desc id={`${id}-desc`}>{summary}</desc>
        {[min, max].map((value) => (
          <g key={value}>
            <line x1={pad.left} x2={width - pad.right} y1={y(value)} y2={y(value)} stroke="#8b949e" strokeWidth="0.5" />
            <text x={pad.left - 4} y={y(value) + 4} textAnchor="end" fontSize="11" fill="#3d444d">
              {value}
            </text>
          </g>
        ))}
        {segments.map((segment) => (
          <polyline key={segment} points={segment} fill="none" stroke={color} strokeWidth="2" />
        ))}
        {points.map((point, i) =>
          point ? <circle key={weeks[i]!.weekStart} cx={point.x} cy={point.y} r="3" fill={color} /> : null,
        )}
        <text x={pad.left} y={height - 4} fontSize="11" fill="#3d444d">
          {formatCalendarDate(locale, weeks[0]!.weekStart)}
        </text>
        <text x={width - pad.right} y={height - 4} fontSize="11" fill="#3d444d" textAnchor="end">
          {t("trend.thisWeek")}
        </text>
      </svg>
      <figcaption>{t(`trend.${measure}.title`)}</figcaption>
    </figure>
  );
}

/** Mood and craving over the weeks, with the same numbers as a table for anyone who prefers one. */
export function TrendChart({ weeks, headingLevel = 2 }: { weeks: TrendWeek[]; headingLevel?: 2 | 3 | 4 }) {
  const t = useT();
  const locale = useFormatLocale();
  const headingId = useId();
  const Heading = `h${headingLevel}` as const;
  return (
    <section aria-labelledby={headingId} className="trends">
      <Heading id={headingId}>{t("trend.heading")}</Heading>
      <div className="trend-grid">
        <Chart weeks={weeks} measure="mood" min={1} max={5} color="#1d6b35" />
        <Chart weeks={weeks} measure="craving" min={0} max={10} color="#9a3412" />
      </div>
      <details>
        <summary>{t("trend.table")}</summary>
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">{t("trend.heading")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("trend.week")}</th>
                <th scope="col">{t("trend.mood.title")}</th>
                <th scope="col">{t("trend.craving.title")}</th>
                <th scope="col">{t("trend.count")}</th>
              </tr>
            </thead>
            <tbody>
              {weeks.map((week) => (
                <tr key={week.weekStart}>
                  <th scope="row">{formatCalendarDate(locale, week.weekStart)}</th>
                  <td>{week.mood ?? "–"}</td>
                  <td>{week.craving ?? "–"}</td>
                  <td>{week.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}
