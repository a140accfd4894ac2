import { parseWithZod } from "@conform-to/zod/v4";
import { readForm } from "~/utils/form.server";
import { data, redirect, type AppLoadContext } from "@remix-run/node";
import type { Database } from "#db/database";
import { DuplicateEmailError } from "~/models/account.server";
import { enrolPatient, listAssignableTherapists, UnknownTherapistError } from "~/models/episode.server";
import { getProgram } from "~/models/program.server";
import { deliverMembershipMail } from "~/mail.server";
import { actorOf } from "~/policy.server";
import type { CurrentSession } from "~/session.server";
import { calendarDateIn, daysBetween } from "~/utils/dates";
import { enrolPatientSchema } from "./enrol-patient";

/** What the enrolment form needs: the program's therapists and today's date in its time zone. */
export async function enrolmentFormData(db: Database, user: CurrentSession["user"]) {
  const program = await getProgram(db, user.programId);
  return {
    therapists: await listAssignableTherapists(db, user.programId),
    today: calendarDateIn(program?.timeZone ?? "UTC"),
  };
}

/** The enrolment action shared by the admin's and the therapist's page. */
export async function handleEnrolPatient(
  request: Request,
  context: AppLoadContext,
  session: CurrentSession,
  successPath: string,
) {
  const submission = parseWithZod(await readForm(request), { schema: enrolPatientSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const { db } = context;
  const program = await getProgram(db, session.user.programId);
  const today = calendarDateIn(program?.timeZone ?? "UTC");
  if (Math.abs(daysBetween(today, submission.value.startDate)) > 365) {
    return data({ result: submission.reply({ fieldErrors: { startDate: ["validation.startDate.range"] } }) }, { status: 400 });
  }
  let activationToken: string | null;
  try {
    activationToken = (await enrolPatient(db, actorOf(session, context), submission.value)).activationToken;
  } catch (error) {
    if (error instanceof DuplicateEmailError) {
      return data({ result: submission.reply({ fieldErrors: { email: ["validation.email.taken"] } }) }, { status: 400 });
    }
    if (error instanceof UnknownTherapistError) {
      return data(
        { result: submission.reply({ fieldErrors: { therapistId: ["validation.therapist.required"] } }) },
        { status: 400 },
      );
    }
    throw error;
  }
  const mailed = await deliverMembershipMail(
    db,
    { programId: session.user.programId, email: submission.value.email, name: submission.value.name },
    activationToken,
  );
  return redirect(`${successPath}?${mailed ? "enrolled=1" : "mail=failed"}`);
}
