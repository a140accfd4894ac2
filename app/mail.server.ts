import nodemailer, { type Transporter } from "nodemailer";
import { desc, eq } from "drizzle-orm";
import type { Database } from "#db/database";
import { outboxMessages } from "#db/schema";
import { env } from "~/env.server";
import { translator, type Language } from "~/i18n/i18n";
import { newId } from "~/utils/crypto.server";

/**
 * All mail goes through nodemailer. With SMTP_URL it is sent; without it nodemailer composes the
 * message as JSON and it is kept in the outbox table for the development mailbox page.
 * Subjects and bodies never name a diagnosis or the program's clinical nature.
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
  subject: string;
  text: string;
  /** An iCalendar file that mail programs offer to add to the reader's calendar. */
  calendar?: string;
};

export async function sendMail(db: Database, mail: OutgoingMail) {
  const info = (await transport().sendMail({
    from: env().MAIL_FROM,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    icalEvent: mail.calendar ? { filename: "care-circle-meeting.ics", method: "PUBLISH", content: mail.calendar } : undefined,
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

type Recipient = { programId: string | null; email: string; name: string; language?: Language };

export async function sendActivationMail(db: Database, recipient: Recipient, token: string) {
  const t = translator(recipient.language ?? "en");
  return sendMail(db, {
    programId: recipient.programId,
    to: recipient.email,
    subject: t("mail.activation.subject"),
    text: t("mail.activation.body", { name: recipient.name, link: accountLink("/activate", token) }),
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
  const t = translator(recipient.language ?? "en");
  return sendMail(db, {
    programId: recipient.programId,
    to: recipient.email,
    subject: t("mail.update.subject"),
    text: t("mail.update.body", { name: recipient.name, link: `${env().appUrl}/login` }),
  }).then(
    () => true,
    () => {
      console.error("A new-role e-mail could not be sent");
      return false;
    },
  );
}

export async function sendPasswordResetMail(db: Database, recipient: Recipient, token: string) {
  const t = translator(recipient.language ?? "en");
  return sendMail(db, {
    programId: recipient.programId,
    to: recipient.email,
    subject: t("mail.reset.subject"),
    text: t("mail.reset.body", { name: recipient.name, link: accountLink("/reset-password", token) }),
  });
}

/** The invitation names nobody: whoever reads the inbox learns only that there is an invitation. */
export async function deliverInvitation(
  db: Database,
  recipient: { programId: string; email: string; name: string },
  token: string,
): Promise<boolean> {
  const t = translator("en");
  return sendMail(db, {
    programId: recipient.programId,
    to: recipient.email,
    subject: t("mail.activation.subject"),
    text: t("mail.invitation.body", { name: recipient.name, link: accountLink("/invitation", token) }),
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
  const t = translator("en");
  return sendMail(db, {
    programId: recipient.programId,
    to: recipient.email,
    subject: kind === "update" ? t("mail.update.subject") : t("mail.accessChanged.subject"),
    text: t(kind === "update" ? "mail.update.body" : "mail.accessChanged.body", {
      name: recipient.name,
      link: `${env().appUrl}/login`,
    }),
  }).catch(() => console.error("A care-circle notice could not be sent"));
}

export type FamilySessionNews = "invited" | "changed" | "cancelled";

/**
 * A family session's invitation, change or cancellation, with its calendar file. It says only when
 * and where: the subject and the body name neither the patient nor their treatment.
 */
export async function sendFamilySessionMail(
  db: Database,
  recipient: { programId: string; email: string; name: string },
  news: FamilySessionNews,
  session: { when: string; minutes: number; place: string; path: string; calendar: string },
) {
  const t = translator("en");
  return sendMail(db, {
    programId: recipient.programId,
    to: recipient.email,
    subject: t(`mail.familySession.${news}.subject`),
    text: t(`mail.familySession.${news}.body`, {
      name: recipient.name,
      when: session.when,
      count: session.minutes,
      place: session.place,
      link: `${env().appUrl}${session.path}`,
    }),
    calendar: session.calendar,
  }).catch(() => console.error("A family-session e-mail could not be sent"));
}
