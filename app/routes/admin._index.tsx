import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { readForm } from "~/utils/form.server";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { StatusNotices, type StatusNotice } from "~/components/status-notices";
import { useT, type MessageKey } from "~/i18n/i18n";
import { listProgramAccounts, reissueActivation, setAccountDisabled } from "~/models/account.server";
import { listAssignableTherapists, openEpisodeCounts } from "~/models/episode.server";
import { ConfirmTrigger } from "~/components/confirm";
import { useDisableConfirmation, useEndEpisodeConfirmation } from "~/components/episode-confirmations";
import { getProgram } from "~/models/program.server";
import { deliverActivation } from "~/mail.server";
import { actorOf, notFound, requirePermission } from "~/policy.server";
import { env } from "~/env.server";
import type { Role } from "~/vocabulary";
import { accountActionSchema } from "~/forms/admin.server";
import { pageNumber } from "~/utils/cursor.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.program");

export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { user } = await requirePermission(args, "admin:home");
  const searchParams = new URL(args.request.url).searchParams;
  const section = async (param: string, roles: Role[]) => {
    const page = pageNumber.parse(searchParams.get(param) ?? 1);
    return { ...(await listProgramAccounts(db, user.programId, roles, page)), page, param };
  };
  return {
    programName: (await getProgram(db, user.programId))?.name ?? "",
    selfId: user.id,
    staff: await section("staff", ["admin", "therapist"]),
    patients: await section("patients", ["patient"]),
    mailboxEnabled: env().mailboxEnabled,
    openEpisodes: await openEpisodeCounts(db, user.programId),
    colleagues: await listAssignableTherapists(db, user.programId),
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db } = args.context;
  const session = await requirePermission(args, "staff:manage");
  const parsed = accountActionSchema.safeParse(Object.fromEntries(await readForm(args.request)));
  if (!parsed.success) return data({ error: "admin.badRequest" }, { status: 400 });
  const actor = actorOf(session, args.context);
  const { intent, userId } = parsed.data;
  if (intent === "resend-activation") {
    const reissued = await reissueActivation(db, actor, userId);
    if (!reissued) throw notFound();
    const mailed = await deliverActivation(
      db,
      { programId: actor.programId, email: reissued.account.email, name: reissued.account.name },
      reissued.activationToken,
    );
    return redirect(`/admin?${mailed ? "resent=1" : "mail=failed"}`);
  }
  // Disabling and ending an episode cannot be undone: they are confirmed on their own routes first.
  if (!(await setAccountDisabled(db, actor, userId, false))) throw notFound();
  return redirect("/admin?enabled=1");
}

const statusBadge: Record<string, string> = { active: "badge badge--ok", disabled: "badge badge--danger", invited: "badge" };

type AccountSection = {
  accounts: { id: string; name: string; email: string; role: string; status: string; openEpisode: boolean }[];
  page: number;
  hasMore: boolean;
  param: string;
};

type ListData = { openEpisodes: Record<string, number>; colleagues: { id: string; name: string }[] };

/** Ending an episode and disabling an account, each behind its confirmation (a page, or a dialog with JavaScript). */
function ConfirmedActions({ account }: { account: AccountSection["accounts"][number] }) {
  const t = useT();
  const { openEpisodes, colleagues } = useLoaderData<ListData>();
  const endEpisode = useEndEpisodeConfirmation(account, `/admin/patients/${account.id}?confirm=end-episode`);
  const disable = useDisableConfirmation(
    { ...account, openEpisodes: openEpisodes[account.id] ?? 0 },
    colleagues,
    `/admin/accounts/${account.id}/disable`,
  );
  const named = (label: string) => (
    <>
      {label}
      <span className="visually-hidden"> {account.name}</span>
    </>
  );
  return (
    <div className="actions">
      {account.role === "patient" ? <Link to={`/admin/patients/${account.id}`}>{named(t("adminPatient.link"))}</Link> : null}
      {account.openEpisode ? (
        <ConfirmTrigger label={named(t("admin.endEpisode"))} to={endEpisode.action} confirmation={endEpisode} />
      ) : null}
      {account.status === "disabled" ? null : (
        <ConfirmTrigger label={named(t("admin.disable"))} to={disable.action} confirmation={disable} />
      )}
    </div>
  );
}

function AccountList({ section, selfId, label }: { section: AccountSection; selfId: string; label: string }) {
  const t = useT();
  const { accounts, page, hasMore, param } = section;
  if (accounts.length === 0) return <p>{t("admin.none")}</p>;
  return (
    <>
      <ul className="list" aria-label={label}>
        {accounts.map((account) => (
          <li key={account.id}>
            <strong>{account.name}</strong>{" "}
            <span className={statusBadge[account.status]}>{t(`status.${account.status}` as MessageKey)}</span>
            <p className="meta">
              {t(`role.${account.role}` as MessageKey)} · {account.email}
            </p>
            <p>
              <Link to={`/admin/audit?person=${account.id}`}>
                {t("admin.auditTrail")}
                <span className="visually-hidden"> {account.name}</span>
              </Link>
            </p>
            {account.id === selfId || (account.status !== "invited" && account.status !== "disabled") ? null : (
              <Form method="post" className="actions">
                <input type="hidden" name="userId" value={account.id} />
                {account.status === "invited" ? (
                  <button type="submit" name="intent" value="resend-activation" className="button button--secondary">
                    {t("admin.resendActivation")}
                    <span className="visually-hidden"> {account.name}</span>
                  </button>
                ) : null}
                {account.status === "disabled" ? (
                  <button type="submit" name="intent" value="enable" className="button button--secondary">
                    {t("admin.enable")}
                    <span className="visually-hidden"> {account.name}</span>
                  </button>
                ) : null}
              </Form>
            )}
            {account.id === selfId ? null : <ConfirmedActions account={account} />}
          </li>
        ))}
      </ul>
      {page > 1 || hasMore ? (
        <nav aria-label={t("pagination.label", { list: label })} className="actions">
          {page > 1 ? <Link to={`?${param}=${page - 1}`}>{t("pagination.previous")}</Link> : null}
          {hasMore ? <Link to={`?${param}=${page + 1}`}>{t("pagination.next")}</Link> : null}
        </nav>
      ) : null}
    </>
  );
}

const notices: StatusNotice[] = [
  { param: "added", message: "admin.notice.added" },
  { param: "enrolled", message: "admin.notice.enrolled" },
  { param: "resent", message: "admin.notice.resent" },
  { param: "disabled", message: "admin.notice.disabled" },
  { param: "enabled", message: "admin.notice.enabled" },
  { param: "episodeEnded", message: "admin.notice.episodeEnded" },
  { param: "mail", message: "notice.mailFailed", tone: "error" },
];

export default function AdminHome() {
  const t = useT();
  const { programName, staff, patients, selfId, mailboxEnabled } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page">
        <h1>{programName}</h1>
        <StatusNotices notices={notices} />
        <div className="actions">
          <Link className="button" to="/admin/therapists/new">
            {t("admin.addTherapist")}
          </Link>
          <Link className="button button--secondary" to="/admin/patients/new">
            {t("admin.enrolPatient")}
          </Link>
          <Link to="/admin/modules">{t("admin.modules")}</Link>
          {mailboxEnabled ? <Link to="/admin/mailbox">{t("admin.mailbox")}</Link> : null}
        </div>
        <h2>{t("admin.staff")}</h2>
        <AccountList section={staff} selfId={selfId} label={t("admin.staff")} />
        <h2>{t("admin.patients")}</h2>
        <AccountList section={patients} selfId={selfId} label={t("admin.patients")} />
      </div>
    </>
  );
}
