import * as z from "zod";
import { isClockTime } from "~/utils/dates";
import { deliveries, eventKinds, type EventKind } from "~/vocabulary";

/** A time of day; needed only while quiet hours are on (checked below). */
const clockTime = z
  .string()
  .optional()
  .refine((value) => !value || isClockTime(value), { error: "notifications.validation.timeInvalid" });

const delivery = z.enum(deliveries, { error: "notifications.validation.delivery" }).optional();

/**
 * The notification settings form: how to hear of each kind (a radio group named for the kind), quiet
 * hours (their times needed only when they are on), and the time zone they are read in ("" for the program's). The server keeps only the kinds
 * the acting role hears of.
 */
export const notificationSettingsSchema = z
  .object({
    ...(Object.fromEntries(eventKinds.map((kind) => [kind, delivery])) as Record<EventKind, typeof delivery>),
    quietHoursOn: z.literal("on").optional(),
    quietFrom: clockTime,
    quietUntil: clockTime,
    timeZone: z
      .string()
      .max(100)
      .optional()
      .refine((zone) => !zone || Intl.supportedValuesOf("timeZone").includes(zone), {
        error: "notifications.validation.timeZone",
      }),
  })
  .superRefine((form, context) => {
    if (form.quietHoursOn !== "on") return;
    for (const field of ["quietFrom", "quietUntil"] as const)
      if (!form[field]) context.addIssue({ code: "custom", path: [field], message: "notifications.validation.timeRequired" });
    if (form.quietFrom && form.quietFrom === form.quietUntil)
      context.addIssue({ code: "custom", path: ["quietUntil"], message: "notifications.validation.quietSame" });
  });
