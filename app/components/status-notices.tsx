import { useSearchParams } from "@remix-run/react";
import { useT, type MessageKey } from "~/i18n/i18n";

export type StatusNotice = { param: string; message: MessageKey; tone?: "ok" | "error" };

/** Confirmations after a redirect (`?added=1`): the query names the outcome, never the data. */
export function StatusNotices({ notices }: { notices: StatusNotice[] }) {
  const t = useT();
  const [searchParams] = useSearchParams();
  return (
    <>
      {notices
        .filter(({ param }) => searchParams.has(param))
        .map(({ param, message, tone = "ok" }) => (
          <p key={param} className={`notice notice--${tone}`} role={tone === "error" ? "alert" : "status"}>
            {t(message)}
          </p>
        ))}
    </>
  );
}
