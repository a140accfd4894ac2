import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { relationships } from "~/vocabulary";
import { ConsentForm } from "~/components/consent-form";
import { SelectField, TextField } from "~/components/form";
import { invitationSchema } from "~/forms/consent";
import { handleConsentForm } from "~/forms/consent.server";
import { useT } from "~/i18n/i18n";
import { requestLocale, serverTranslator } from "~/i18n/locale.server";
import { patientContext } from "~/models/consent.server";
import { invite } from "~/models/invitations.server";
import { deliverInvitation } from "~/mail.server";
import { actorOf, requirePermission } from "~/policy.server";
import { readForm } from "~/utils/form.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.inviteSomeone");

export async function loader(args: LoaderFunctionArgs) {
  const { user, person } = await requirePermission(args, "circle:own");
  return {
    patientName: user.name,
    enrolled: Boolean(await patientContext(args.context.db, user.id)),
    // Written into the consent as the purpose, so in the language it is signed in.
    defaultPurpose: serverTranslator(requestLocale(args.request, person).language)("consent.purpose.default"),
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db } = args.context;
  const session = await requirePermission(args, "circle:own");
  const locale = requestLocale(args.request, session.person);
  return handleConsentForm(db, {
    formData: await readForm(args.request),
    schema: invitationSchema,
    patientId: session.user.id,
    locale,
    recipientOf: (value) => ({ name: value.name, email: value.email, relationship: value.relationship }),
    sign: async (value, choice) => {
      const invited = await invite(
        db,
        actorOf(session, args.context),
        { ...choice, name: value.name, email: value.email, relationship: value.relationship },
        locale,
      );
      const mailed = await deliverInvitation(
        db,
        { programId: session.user.programId, email: invited.email, name: value.name },
        invited.token,
        locale.language,
      );
      return redirect(`/patient/circle?${mailed ? "invited=1" : "mail=failed"}`);
    },
  });
}

export default function InviteSupporter() {
  const t = useT();
  const { patientName, enrolled, defaultPurpose } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="page">
      <h1>{t("circle.invite.title")}</h1>
      <p className="lead">{t("circle.invite.lead")}</p>
      {enrolled ? (
        <ConsentForm
          schema={invitationSchema}
          lastResult={actionData?.result}
          preview={actionData?.preview}
          defaults={{ purpose: defaultPurpose }}
          signLabel={t("circle.invite.sign")}
          patientName={patientName}
          extraFields={(fields) => (
            <>
              <TextField field={fields.name} label={t("circle.invite.name")} autoComplete="off" />
              <TextField
                field={fields.email}
                label={t("field.email")}
                type="email"
                autoComplete="off"
                hint={t("circle.invite.email.hint")}
              />
              <SelectField field={fields.relationship} label={t("circle.invite.relationship")}>
                <option value="">{t("circle.invite.relationship.choose")}</option>
                {relationships.map((relationship) => (
                  <option key={relationship} value={relationship}>
                    {t(`relationship.${relationship}`)}
                  </option>
                ))}
              </SelectField>
            </>
          )}
        />
      ) : (
        <p className="notice">{t("circle.invite.noEpisode")}</p>
      )}
    </div>
  );
}
