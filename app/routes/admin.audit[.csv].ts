import type { LoaderFunctionArgs } from "@remix-run/node";
import { readAuditFilter } from "~/forms/audit-filter.server";
import type { MessageKey } from "~/i18n/i18n";
import { requestLocale, serverTranslator } from "~/i18n/locale.server";
import { auditBatches, recordAudit } from "~/models/audit.server";
import { requirePermission } from "~/policy.server";
import { csvRow } from "~/utils/csv";
import { calendarDateIn, formatInstant } from "~/utils/dates";

const header = [
  "occurred_at_utc",
  "occurred_at_local",
  "actor_name",
  "actor_role",
  "action",
  "action_label",
  "outcome",
  "target_type",
  "target_id",
  "address",
];

/**
 * The program's audit trail as CSV, with the page's filters. The body is written a batch at a time as
 * the client reads it, so a year of a large program never sits in memory. The export is itself audited,
 * with the filters it carried (ids, actions and dates only).
 */
export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { user, person } = await requirePermission(args, "audit:read");
  const locale = requestLocale(args.request, person);
  const { timeZone, filter, query } = await readAuditFilter(db, user, new URL(args.request.url));
  if (!filter) return new Response("Bad Request", { status: 400, headers: { "Cache-Control": "no-store" } });
  await recordAudit(db, {
    action: "audit.exported",
    outcome: "success",
    programId: user.programId,
    actorUserId: user.id,
    targetType: "audit_filter",
    targetId: query,
    ipAddress: args.context.clientAddress,
  });
  const t = serverTranslator(locale.language);
  const encoder = new TextEncoder();
  const batches = auditBatches(db, user.programId, filter);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvRow(header)));
    },
    async pull(controller) {
      const batch = await batches.next();
      if (batch.done) {
        controller.close();
        return;
      }
      const lines = batch.value.map((event) =>
        csvRow([
          event.createdAt.toISOString(),
          formatInstant(locale.formatLocale, timeZone, event.createdAt),
          event.actorName,
          event.actorRole,
          event.action,
          t(`audit.action.${event.action}` as MessageKey, { defaultValue: event.action }),
          event.outcome,
          event.targetType,
          event.targetId,
          event.ipAddress,
        ]),
      );
      controller.enqueue(encoder.encode(lines.join("")));
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="care-circle-audit-trail-${calendarDateIn(timeZone)}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
