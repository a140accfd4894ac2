import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { CheckInForm } from "~/components/check-in-form";
import { ConfirmationPage, ConfirmTrigger, type Confirmation } from "~/components/confirm";
import { handleCheckInForm } from "~/forms/check-in.server";
import { useT } from "~/i18n/i18n";
import { deleteCheckIn, findOwnCheckIn, shareableAudience, updateCheckIn } from "~/models/check-in.server";
import { notFound, requirePermission } from "~/policy.server";
import { readForm } from "~/utils/form.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.yourCheckIn");

export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { user } = await requirePermission(args, "progress:own");
  const checkIn = await findOwnCheckIn(db, user.id, args.params.checkInId ?? "");
  if (!checkIn) throw notFound();
  // Only people who may still see it can stay ticked: a lapsed consent leaves the audience on saving.
  const shareable = await shareableAudience(db, user.id);
  return {
    checkIn: {
      kind: checkIn.kind,
      mood: checkIn.mood ?? undefined,
      craving: checkIn.craving ?? undefined,
      wins: checkIn.wins ?? undefined,
      hard: checkIn.hard ?? undefined,
      helpRequest: checkIn.helpRequest ?? undefined,
      audience: checkIn.audience.filter((linkId) => shareable.some((member) => member.linkId === linkId)),
      sharedWithCareTeam: checkIn.sharedWithCareTeam,
    },
    shareable,
    confirmingDelete: new URL(args.request.url).searchParams.get("confirm") === "delete",
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db } = args.context;
  const { user } = await requirePermission(args, "progress:own");
  const checkInId = args.params.checkInId ?? "";
  if (!(await findOwnCheckIn(db, user.id, checkInId))) throw notFound();
  const formData = await readForm(args.request);
  if (formData.get("intent") === "delete") {
    if (!(await deleteCheckIn(db, user, checkInId))) throw notFound();
    return redirect("/patient/check-ins?deleted=1");
  }
  return handleCheckInForm(formData, async (input) => {
    if (!(await updateCheckIn(db, user, checkInId, input))) throw notFound();
    return redirect("/patient/check-ins?saved=1");
  });
}

/** What deleting a check-in does, said the same on the page and in the dialog. */
function useDeleteConfirmation(): Confirmation {
  const t = useT();
  return {
    title: t("checkIn.delete.title"),
    body: <p>{t("checkIn.delete.body")}</p>,
    action: "?confirm=delete",
    intent: "delete",
    confirmLabel: t("checkIn.delete.submit"),
  };
}

export default function EditCheckIn() {
  const t = useT();
  const { checkIn, shareable, confirmingDelete } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const deletion = useDeleteConfirmation();
  if (confirmingDelete) return <ConfirmationPage confirmation={deletion} cancelTo="." />;
  return (
    <>
      <div className="page">
        <p>
          <Link to="/patient/check-ins">{t("checkIn.back")}</Link>
        </p>
        <h1>{t("checkIn.edit.title")}</h1>
        <CheckInForm lastResult={actionData?.result} shareable={shareable} defaults={checkIn} submitLabel={t("checkIn.save")} />
      </div>
      <div className="page">
        <h2>{t("checkIn.delete.heading")}</h2>
        <p>{t("checkIn.delete.body")}</p>
        <ConfirmTrigger label={t("checkIn.delete.submit")} to="?confirm=delete" confirmation={deletion} />
      </div>
    </>
  );
}
