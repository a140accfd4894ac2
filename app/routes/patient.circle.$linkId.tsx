import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ConsentDocument } from "~/components/consent-document";
import { ConsentForm } from "~/components/consent-form";
import { LinkStatusBadge } from "~/components/circle";
import { consentChoiceSchema } from "~/forms/consent";
import { handleConsentForm } from "~/forms/consent.server";
import { useFormatLocale, useT } from "~/i18n/i18n";
import { requestLocale } from "~/i18n/locale.server";
import { changeConsent, consentHistory, courtesyTranslation } from "~/models/consent.server";
import { findPatientLink, settlePatientCircle } from "~/models/circle-link.server";
import { openStatuses } from "~/models/circle-state";
import { getProgram } from "~/models/program.server";
import { actorOf, notFound, requirePermission } from "~/policy.server";
import { formatInstant } from "~/utils/dates";
import { readForm } from "~/utils/form.server";
import type { Database } from "#db/database";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.someoneInYourCircle");

async function ownLink(db: Database, patientId: string, linkId: string | undefined) {
  const link = linkId ? await findPatientLink(db, patientId, linkId) : undefined;
  if (!link) throw notFound();
  return link;
}

export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { user, person } = await requirePermission(args, "circle:own");
  await settlePatientCircle(db, user.id);
  const link = await ownLink(db, user.id, args.params.linkId);
  const history = await consentHistory(db, link.id);
  const timeZone = (await getProgram(db, user.programId))?.timeZone ?? "UTC";
  const locale = requestLocale(args.request, person);
  return {
    patientName: user.name,
    timeZone,
    link: { id: link.id, name: link.invitedName, status: link.status, relationship: link.relationship },
    canChange: openStatuses.includes(link.status),
    current: history[0]!,
    history: history.map((consent) => ({
      id: consent.id,
      version: consent.version,
      status: consent.status,
      signedAt: consent.signedAt.getTime(),
      endedAt: consent.endedAt?.getTime() ?? null,
      text: consent.text,
      language: consent.language,
      courtesy: courtesyTranslation(consent, locale, timeZone),
      summary: {
        recipientName: consent.recipientName,
        categories: consent.categories,
        expiryKind: consent.expiryKind,
        expiresOn: consent.expiresOn,
      },
    })),
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db } = args.context;
  const session = await requirePermission(args, "circle:own");
  const link = await ownLink(db, session.user.id, args.params.linkId);
  const history = await consentHistory(db, link.id);
  const current = history[0]!;
  const locale = requestLocale(args.request, session.person);
  return handleConsentForm(db, {
    formData: await readForm(args.request),
    schema: consentChoiceSchema,
    patientId: session.user.id,
    locale,
    recipientOf: () => ({
      name: current.recipientName,
      email: current.recipientEmail,
      relationship: current.recipientRelationship,
    }),
    sign: async (_value, choice) => {
      const changed = await changeConsent(db, actorOf(session, args.context), link.id, choice, locale);
      if (!changed) throw notFound();
      return redirect("/patient/circle?changed=1");
    },
  });
}

export default function CircleMember() {
  const t = useT();
  const locale = useFormatLocale();
  const { link, history, current, canChange, patientName, timeZone } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <div className="page">
        <p>
          <Link to="/patient/circle">{t("circle.back")}</Link>
        </p>
        <h1>{link.name}</h1>
        <p>
          {t(`relationship.${link.relationship}`)} · <LinkStatusBadge status={link.status} />
        </p>
        {link.status === "active" ? (
          <p>
            <Link to="preview">{t("circle.preview.link", { name: link.name })}</Link>
          </p>
        ) : null}
        {link.status === "active" && current.status === "active" && current.categories.includes("progress") ? (
          <p>
            <Link to="earlier-check-ins">{t("news.offer.earlierCheckIns", { name: link.name })}</Link>
          </p>
        ) : null}
        <h2>{t("circle.consents.heading")}</h2>
        <ul className="list">
          {history.map((consent) => (
            <li key={consent.id}>
              <strong>{t("circle.consents.version", { version: consent.version })}</strong>{" "}
              <span className="badge">{t(`consentStatus.${consent.status}`)}</span>
              <p className="meta">
                {t("circle.consents.signed", { when: formatInstant(locale, timeZone, consent.signedAt) })}
                {consent.endedAt
                  ? ` · ${t("circle.consents.ended", { when: formatInstant(locale, timeZone, consent.endedAt) })}`
                  : ""}
              </p>
              <details>
                <summary>{t("circle.consents.read")}</summary>
                {consent.courtesy ? (
                  <p className="notice">{t("consent.signedIn", { language: t(`language.name.${consent.language}`) })}</p>
                ) : null}
                <ConsentDocument text={consent.text} summary={consent.summary} lang={consent.language} />
                {consent.courtesy ? (
                  <details>
                    <summary>{t("consent.courtesy.open")}</summary>
                    <p className="meta">{t("consent.courtesy.note")}</p>
                    <ConsentDocument text={consent.courtesy} summary={consent.summary} />
                  </details>
                ) : null}
              </details>
            </li>
          ))}
        </ul>
      </div>
      {canChange ? (
        <div className="page">
          <h2>{t("circle.change.heading")}</h2>
          <p className="lead">{t("circle.change.lead")}</p>
          <ConsentForm
            schema={consentChoiceSchema}
            lastResult={actionData?.result}
            preview={actionData?.preview}
            defaults={{
              categories: current.categories,
              purpose: current.purpose,
              expiryKind: current.expiryKind,
              expiresOn: current.expiresOn,
            }}
            signLabel={t("circle.change.sign")}
            patientName={patientName}
          />
        </div>
      ) : null}
    </>
  );
}
