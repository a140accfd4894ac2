import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useT } from "~/i18n/i18n";
import { requirePermission } from "~/policy.server";

export const meta: MetaFunction = () => [{ title: "Home · Care Circle" }];

export async function loader(args: LoaderFunctionArgs) {
  const { user } = await requirePermission(args, "supporter:home");
  return { name: user.name };
}

export default function SupporterHome() {
  const t = useT();
  const { name } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("supporter.home.title", { name })}</h1>
      <p>{t("supporter.home.noCircles")}</p>
    </div>
  );
}
