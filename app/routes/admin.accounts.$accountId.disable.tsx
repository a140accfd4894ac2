import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ConfirmationPage } from "~/components/confirm";
import { useDisableConfirmation } from "~/components/episode-confirmations";
import { disableSchema } from "~/forms/episode.server";
import { programMember } from "~/models/account.server";
import { disableWithHandover, EpisodeRuleError, listAssignableTherapists, openEpisodesOf } from "~/models/episode.server";
import { actorOf, notFound, requirePermission } from "~/policy.server";
import { readForm } from "~/utils/form.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.disableAnAccount");

/**
 * Disabling an account of the program, confirmed on this page (the admin's list opens the same
 * confirmation in a dialog). A therapist's open episodes go to the colleague chosen here.
 */
export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { user } = await requirePermission(args, "staff:manage");
  const account = await programMember(db, user.programId, args.params.accountId ?? "");
  if (!account || account.id === user.id || account.status === "disabled") throw notFound();
  return {
    account: {
      id: account.id,
      name: account.name,
      openEpisodes: (await openEpisodesOf(db, user.programId, account.id)).length,
    },
    colleagues: await listAssignableTherapists(db, user.programId),
  };
}

export async function action(args: ActionFunctionArgs) {
  const session = await requirePermission(args, "staff:manage");
  const parsed = disableSchema.safeParse(Object.fromEntries(await readForm(args.request)));
  if (!parsed.success) return data({ error: "validation.colleague.invalid" }, { status: 400 });
  try {
    const disabled = await disableWithHandover(
      args.context.db,
      actorOf(session, args.context),
      args.params.accountId ?? "",
      parsed.data.colleagueId || undefined,
    );
    if (!disabled) throw notFound();
  } catch (error) {
    if (error instanceof EpisodeRuleError) return data({ error: error.messageKey }, { status: 400 });
    throw error;
  }
  return redirect("/admin?disabled=1");
}

export default function DisableAccount() {
  const { account, colleagues } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const confirmation = useDisableConfirmation(account, colleagues, `/admin/accounts/${account.id}/disable`, actionData?.error);
  return <ConfirmationPage confirmation={confirmation} cancelTo="/admin" />;
}
