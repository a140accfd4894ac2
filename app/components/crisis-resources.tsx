import { useT } from "~/i18n/i18n";

/** On every page, signed in or not, in the layout's footer (docs/product.md, "Crisis resources"). */
export function CrisisResources() {
  const t = useT();
  return (
    <section className="crisis" aria-labelledby="crisis-heading">
      <h2 id="crisis-heading">{t("crisis.heading")}</h2>
      <ul>
        <li>
          {t("crisis.lifeline")} <a href="tel:988">{t("crisis.call988")}</a> {t("crisis.or")}{" "}
          <a href="sms:988">{t("crisis.text988")}</a>
        </li>
        <li>
          {t("crisis.samhsa")} <a href="tel:18006624357">1-800-662-4357</a>
        </li>
        <li>
          {t("crisis.emergency")} <a href="tel:911">911</a>
        </li>
      </ul>
    </section>
  );
}
