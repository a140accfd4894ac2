import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import type { ReactNode } from "react";
import stylesheet from "~/styles/app.css";
import { CrisisResources } from "~/components/crisis-resources";
import { LanguageSwitch } from "~/components/language-switch";
import { LeaveQuickly } from "~/components/leave-quickly";
import { SiteNavigation } from "~/components/site-navigation";
import { useNonce } from "~/components/nonce";
import { translator, useT, type MessageKey } from "~/i18n/i18n";
import { requestLocale } from "~/i18n/locale.server";
import { env } from "~/env.server";
import { optionalSession, roleHome } from "~/policy.server";
import type { Role } from "~/vocabulary";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: stylesheet }];

type NavItem = { to: string; label: MessageKey };

const navigation: Record<Role, NavItem[]> = {
  admin: [
    { to: "/admin", label: "nav.admin.home" },
    { to: "/admin/approvals", label: "nav.approvals" },
    { to: "/admin/audit", label: "nav.admin.audit" },
  ],
  therapist: [
    { to: "/therapist", label: "nav.therapist.caseload" },
    { to: "/therapist/approvals", label: "nav.approvals" },
    { to: "/therapist/check-ins", label: "nav.therapist.checkIns" },
    { to: "/therapist/learning", label: "nav.therapist.learning" },
    { to: "/therapist/schedule", label: "nav.therapist.schedule" },
    { to: "/therapist/patients/new", label: "nav.therapist.enrol" },
  ],
  patient: [
    { to: "/patient", label: "nav.patient.home" },
    { to: "/patient/check-ins", label: "nav.patient.checkIns" },
    { to: "/patient/milestones", label: "nav.patient.milestones" },
    { to: "/patient/support-plan", label: "nav.patient.supportPlan" },
    { to: "/patient/learning", label: "nav.patient.learning" },
    { to: "/patient/circle", label: "nav.patient.circle" },
    { to: "/patient/schedule", label: "nav.patient.schedule" },
    { to: "/patient/family-sessions", label: "nav.patient.familySessions" },
    { to: "/patient/disclosures", label: "nav.patient.disclosures" },
  ],
  supporter: [
    { to: "/supporter", label: "nav.supporter.home" },
    { to: "/supporter/updates", label: "nav.supporter.updates" },
    { to: "/supporter/support-plan", label: "nav.supporter.supportPlan" },
    { to: "/supporter/family-sessions", label: "nav.supporter.familySessions" },
    { to: "/supporter/learning", label: "nav.supporter.learning" },
  ],
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await optionalSession({ request, context });
  const locale = requestLocale(request, session?.person);
  const acting = session?.user;
  const user = session
    ? {
        home: acting ? roleHome[acting.role] : "/account/roles",
        navigation: acting ? navigation[acting.role] : [],
        hasAccountPages: Boolean(acting),
        // A person with several memberships can always change which one acts.
        canSwitchRole: session.person.activeMemberships > 1,
        leaveQuicklyUrl: env().LEAVE_QUICKLY_URL,
      }
    : null;
  return { user, locale, discreet: session?.person.discreet ?? false };
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const nonce = useNonce();
  const t = useT();
  const user = data?.user;
  return (
    <html lang={data?.locale.language ?? "en"}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {/* Discreet mode: every page has the same neutral tab title and icon (decision 021). */}
        {data?.discreet ? <title>{t("discreet.tabTitle")}</title> : <Meta />}
        <link rel="icon" type="image/svg+xml" href={data?.discreet ? "/favicon-neutral.svg" : "/favicon.svg"} />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          {t("layout.skipToContent")}
        </a>
        <header className="site-header">
          <div className="site-header__inner">
            <a className="brand" href={user?.home ?? "/"}>
              {t("app.name")}
            </a>
            {user ? <LeaveQuickly neutralUrl={user.leaveQuicklyUrl} /> : null}
            {user ? <SiteNavigation user={user} /> : null}
          </div>
        </header>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <CrisisResources />
          <div className="site-footer__links">
            <LanguageSwitch />
            <p>
              <a href="/privacy">{t("footer.privacy")}</a>
            </p>
          </div>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

/** The title and text of an error page: never the error itself. */
function errorMessages(error: unknown): [MessageKey, MessageKey] {
  const status = isRouteErrorResponse(error) ? error.status : 500;
  if (status === 404 || status === 405) return ["error.notFound.title", "error.notFound.body"];
  if (status === 403) return ["error.forbidden.title", "error.forbidden.body"];
  return ["error.generic.title", "error.generic.body"];
}

/** Pages name themselves; an error page that reaches the root is named after the error. */
export const meta: MetaFunction<typeof loader> = ({ error, data }) => {
  if (!error) return [{ title: "Care Circle" }];
  const t = translator(data?.locale.language ?? "en");
  return [{ title: `${t(errorMessages(error)[0])} · Care Circle` }];
};

export function ErrorBoundary() {
  const error = useRouteError();
  const t = useT();
  const [title, body] = errorMessages(error);
  return (
    <div className="page">
      <h1>{t(title)}</h1>
      <p>{t(body)}</p>
      <p>
        <a href="/">{t("error.backHome")}</a>
      </p>
    </div>
  );
}
