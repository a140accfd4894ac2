import * as z from "zod";
import { isClockTime } from "~/utils/dates";
import { deliveries, eventKinds, type EventKind } from "~/vocabulary";

const clockTime = z
  .string({ error: "notifications.validation.timeRequired" })
  .refine(isClockTime, { error: "notifications.validation.timeInvalid" });

const delivery = z.enum(deliveries, { error: "notifications.validation.delivery" }).optional();

/**
 * The notification settings form: how to hear of each kind (a radio group named for the kind), quiet
 * hours, and the time zone they are read in ("" for the program's). The server keeps only the kinds
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
  .refine((form) => form.quietHoursOn !== "on" || form.quietFrom !== form.quietUntil, {
    path: ["quietUntil"],
    error: "notifications.validation.quietSame",
  });
