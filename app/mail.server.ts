import nodemailer, { type Transporter } from "nodemailer";
import { desc, eq } from "drizzle-orm";
import type { Database } from "#db/database";
import { outboxMessages } from "#db/schema";
import { sessionsCalendar, type CalendarSession } from "~/calendar.server";
import { env } from "~/env.server";
import type { Language, Translate } from "~/i18n/i18n";
import { serverTranslator } from "~/i18n/locale.server";
import { findPersonByEmail } from "~/models/account.server";
import { formatInstant } from "~/utils/dates";
import { newId } from "~/utils/crypto.server";

/**
 * All mail goes through nodemailer. With SMTP_URL it is sent; without it nodemailer composes the
 * message as JSON and it is kept in the outbox table for the development mailbox page.
 * Subjects and bodies never name a diagnosis or the program's clinical nature. A person in discreet
 * mode gets every mail from a neutral sender, under a neutral subject, saying only that there is
 * something to sign in for (decision 021).
 */

let transporter: Transporter | undefined;

function transport(): Transporter {
  transporter ??= env().SMTP_URL
    ? nodemailer.createTransport(env().SMTP_URL)
    : nodemailer.createTransport({ jsonTransport: true });
  return transporter;
}

export type OutgoingMail = {
  programId: string | null;
  to: string;
  /** For an address that is nobody's yet (an invitation): the language of the person who sent it. */
  language?: Language;
  /** The subject and text in the recipient's language; dates in its US form (es-US, en-US). */
  compose: (t: Translate, formatLocale: string) => { subject: string; text: string };
  /** The link the mail exists for (activation, reset, invitation): a discreet mail keeps only this. */
  actionLink?: string;
  /** Sessions sent as an iCalendar file, which mail programs offer to add to the reader's calendar. */
  calendar?: { sessions: CalendarSession[]; timeZone: string };
};

/** The sender's address from MAIL_FROM under a name that says nothing ("Notifications"). */
function neutralSender(name: string) {
  const from = env().MAIL_FROM;
  return { name, address: /<([^>]+)>/.exec(from)?.[1] ?? from };
}

/**
 * Sends one mail as its recipient asked for it: in their language (decision 022), and discreetly
 * when they chose discreet mode (decision 021). Both are looked up here, so no caller can forget.
 */
export async function sendMail(db: Database, mail: OutgoingMail) {
  const person = await findPersonByEmail(db, mail.to);
  const language = person?.language ?? mail.language ?? "en";
  const discreet = person?.discreet ?? false;
  const t = serverTranslator(language);
  const content = discreet
    ? {
        subject: t("mail.discreet.subject"),
        text: mail.actionLink
          ? t("mail.discreet.linkBody", { link: mail.actionLink })
          : t("mail.discreet.body", { link: `${env().appUrl}/login` }),
      }
    : mail.compose(t, `${language}-US`);
  const info = (await transport().sendMail({
    from: discreet ? neutralSender(t("mail.discreet.sender")) : env().MAIL_FROM,
    to: mail.to,
    subject: content.subject,
    text: content.text,
    icalEvent: mail.calendar
      ? {
          filename: discreet ? "appointment.ics" : "care-circle-meeting.ics",
          method: "PUBLISH",
          content: sessionsCalendar(mail.calendar.sessions, mail.calendar.timeZone, { discreet, language }),
        }
      : undefined,
  })) as {
    message?: unknown;
  };
  if (env().SMTP_URL) return;
  const composed = JSON.parse(String(info.message)) as { subject: string; text: string };
  await db
    .insert(outboxMessages)
    .values({ id: newId(), programId: mail.programId, toAddress: mail.to, subject: composed.subject, textBody: composed.text });
}

export async function listOutbox(db: Database, programId: string, limit = 50) {
  return db
    .select()
    .from(outboxMessages)
    .where(eq(outboxMessages.programId, programId))
    .orderBy(desc(outboxMessages.createdAt))
    .limit(limit);
}

export function accountLink(path: "/activate" | "/reset-password" | "/invitation", token: string) {
  return `${env().appUrl}${path}?token=${encodeURIComponent(token)}`;
}

type Recipient = { programId: string | null; email: string; name: string };

export async function sendActivationMail(db: Database, recipient: Recipient, token: string) {
  const link = accountLink("/activate", token);
  return sendMail(db, {
    programId: recipient.programId,
    to: recipient.email,
    compose: (t) => ({
      subject: t("mail.activation.subject"),
      text: t("mail.activation.body", { name: recipient.name, link }),
    }),
    actionLink: link,
  });
}

/** Sends an activation link after the account's transaction committed; false when the mail could not go. */
export async function deliverActivation(db: Database, recipient: Recipient, token: string): Promise<boolean> {
  return sendActivationMail(db, recipient, token).then(
    () => true,
    () => {
      console.error("An activation e-mail could not be sent");
      return false;
    },
  );
}

/** "You have a new message on Care Circle", and the way to sign in: never what it is. */
const newMessage = (name: string) => (t: Translate) => ({
  subject: t("mail.update.subject"),
  text: t("mail.update.body", { name, link: `${env().appUrl}/login` }),
});

/**
 * The mail for a new membership: its activation link for a new person, or, for someone who already
 * signs in, only the neutral "new message" nudge (the role itself is seen after signing in).
 */
export async function deliverMembershipMail(
  db: Database,
  recipient: Recipient,
  activationToken: string | null,
): Promise<boolean> {
  if (activationToken) return deliverActivation(db, recipient, activationToken);
  return sendMail(db, { programId: recipient.programId, to: recipient.email, compose: newMessage(recipient.name) }).then(
    () => true,
    () => {
      console.error("A new-role e-mail could not be sent");
      return false;
    },
  );
}

export async function sendPasswordResetMail(db: Database, recipient: Recipient, token: string) {
  const link = accountLink("/reset-password", token);
  return sendMail(db, {
    programId: recipient.programId,
    to: recipient.email,
    compose: (t) => ({ subject: t("mail.reset.subject"), text: t("mail.reset.body", { name: recipient.name, link }) }),
    actionLink: link,
  });
}

/**
 * The invitation names nobody: whoever reads the inbox learns only that there is an invitation. It is
 * written in the language of the patient who sent it, unless the address is already someone's.
 */
export async function deliverInvitation(
  db: Database,
  recipient: { programId: string; email: string; name: string },
  token: string,
  language: Language,
): Promise<boolean> {
  const link = accountLink("/invitation", token);
  return sendMail(db, {
    programId: recipient.programId,
    to: recipient.email,
    language,
    compose: (t) => ({
      subject: t("mail.activation.subject"),
      text: t("mail.invitation.body", { name: recipient.name, link }),
    }),
    actionLink: link,
  }).then(
    () => true,
    () => {
      console.error("An invitation e-mail could not be sent");
      return false;
    },
  );
}

/** A neutral nudge: "You have a new message on Care Circle". Never says what changed. */
export async function notifyCircleChange(
  db: Database,
  recipient: { programId: string; email: string; name: string },
  kind: "update" | "access_changed",
) {
  return sendMail(db, {
    programId: recipient.programId,
    to: recipient.email,
    compose:
      kind === "update"
        ? newMessage(recipient.name)
        : (t) => ({
            subject: t("mail.accessChanged.subject"),
            text: t("mail.accessChanged.body", { name: recipient.name, link: `${env().appUrl}/login` }),
          }),
  }).catch(() => console.error("A care-circle notice could not be sent"));
}

export type FamilySessionNews = "invited" | "changed" | "cancelled";

/**
 * A family session's invitation, change or cancellation, with its calendar file. It says only when
 * (in the program's time zone, written for the reader's language) and where: the subject and the body
 * name neither the patient nor their treatment.
 */
export async function sendFamilySessionMail(
  db: Database,
  recipient: { programId: string; email: string; name: string },
  news: FamilySessionNews,
  session: CalendarSession & { timeZone: string; path: string },
) {
  return sendMail(db, {
    programId: recipient.programId,
    to: recipient.email,
    compose: (t, formatLocale) => ({
      subject: t(`mail.familySession.${news}.subject`),
      text: t(`mail.familySession.${news}.body`, {
        name: recipient.name,
        when: `${formatInstant(formatLocale, session.timeZone, session.startsAt)} (${session.timeZone})`,
        count: session.durationMinutes,
        place: session.location ?? session.videoUrl ?? "",
        link: `${env().appUrl}${session.path}`,
      }),
    }),
    calendar: { sessions: [session], timeZone: session.timeZone },
  }).catch(() => console.error("A family-session e-mail could not be sent"));
}
