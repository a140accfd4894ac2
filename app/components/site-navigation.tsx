import { Form, NavLink, useLocation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useT, type MessageKey } from "~/i18n/i18n";

export type NavigationFor = {
  navigation: { to: string; label: MessageKey }[];
  canSwitchRole: boolean;
  hasAccountPages: boolean;
};

function NavigationItems({ user }: { user: NavigationFor }) {
  const t = useT();
  return (
    <ul>
      {user.navigation.map((item) => (
        <li key={item.to}>
          <NavLink to={item.to} end>
            {t(item.label)}
          </NavLink>
        </li>
      ))}
      {user.canSwitchRole ? (
        <li>
          <NavLink to="/account/roles">{t("nav.switchRole")}</NavLink>
        </li>
      ) : null}
      {user.hasAccountPages ? (
        <li>
          <NavLink to="/account">{t("nav.account")}</NavLink>
        </li>
      ) : null}
      <li>
        <Form method="post" action="/logout">
          <button type="submit" className="link-button">
            {t("nav.signOut")}
          </button>
        </Form>
      </li>
    </ul>
  );
}

/**
 * The signed-in navigation. On a wide screen, the links in a row; on a phone, one "Menu" that opens
 * them (a native disclosure, so it works without JavaScript). CSS shows one of the two, so assistive
 * technology meets a single "Main" navigation either way.
 */
export function SiteNavigation({ user }: { user: NavigationFor }) {
  const t = useT();
  const menu = useRef<HTMLDetailsElement>(null);
  const { pathname } = useLocation();
  // The header stays on screen across client-side navigations: the menu closes once a page opens.
  useEffect(() => {
    if (menu.current) menu.current.open = false;
  }, [pathname]);
  return (
    <>
      <nav aria-label={t("nav.label")} className="site-nav site-nav--wide">
        <NavigationItems user={user} />
      </nav>
      <nav aria-label={t("nav.label")} className="site-nav site-nav--narrow">
        <details ref={menu} className="site-nav__menu">
          <summary>{t("nav.menu")}</summary>
          <NavigationItems user={user} />
        </details>
      </nav>
    </>
  );
}
