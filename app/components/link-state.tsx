import { Link } from "@remix-run/react";
import { useT, type MessageKey } from "~/i18n/i18n";

const messages: Record<"used" | "expired" | "invalid", MessageKey> = {
  used: "link.used",
  expired: "link.expired",
  invalid: "link.invalid",
};

/** What a person sees when a single-use link cannot be used: a plain page, never an error screen. */
export function LinkProblem({ state, help }: { state: "used" | "expired" | "invalid"; help: MessageKey }) {
  const t = useT();
  return (
    <div className="page">
      <h1>{t("link.problem.title")}</h1>
      <p>{t(messages[state])}</p>
      <p>{t(help)}</p>
      <p>
        <Link to="/login">{t("link.toLogin")}</Link>
      </p>
    </div>
  );
}
