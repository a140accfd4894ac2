import type { LoaderFunctionArgs } from "@remix-run/node";
import { describeDisclosure } from "~/components/disclosure-entry";
import { requestLocale, serverTranslator } from "~/i18n/locale.server";
import { recordAudit } from "~/models/audit.server";
import { allDisclosures } from "~/models/disclosure.server";
import { getProgram } from "~/models/program.server";
import { requirePermission } from "~/policy.server";
import { csvRow } from "~/utils/csv";
import { formatInstant } from "~/utils/dates";

/** The accounting of disclosures as CSV (42 CFR 2.24: the patient may have it on request). */
export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { user, person } = await requirePermission(args, "circle:own");
  const locale = requestLocale(args.request, person);
  const t = serverTranslator(locale.language);
  const timeZone = (await getProgram(db, user.programId))?.timeZone ?? "UTC";
  const header = [
    "occurred_at_utc",
    "occurred_at_local",
    "what",
    "who",
    "category",
    "item",
    "consent_version",
    "times_that_day",
    "last_at_utc",
  ];
  const rows = (await allDisclosures(db, user.id)).map((entry) => [
    entry.occurredAt.toISOString(),
    formatInstant(locale.formatLocale, timeZone, entry.occurredAt),
    describeDisclosure(t, entry),
    entry.supporterName ?? entry.recipientName,
    entry.category ?? "",
    entry.itemType ?? "",
    entry.consentVersion,
    entry.count,
    (entry.lastOccurredAt ?? entry.occurredAt).toISOString(),
  ]);
  await recordAudit(db, {
    action: "disclosures.exported",
    outcome: "success",
    programId: user.programId,
    actorUserId: user.id,
    ipAddress: args.context.clientAddress,
  });
  const body = [header, ...rows].map(csvRow).join("");
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="care-circle-disclosures.csv"',
    },
  });
}
