import nodemailer, { type Transporter } from "nodemailer";
import { and, asc, desc, eq, lte } from "drizzle-orm";
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
 * All mail goes through nodemailer, by way of the outbox table: a mail is composed and written there,
 * tried at once, and tried again with growing waits while the mail server is down, so nothing is lost
 * (decision 023). With SMTP_URL it is sent and then deleted from the outbox; without it nodemailer
 * composes the message as JSON and it is kept for the development mailbox page.
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
  /** One-click unsubscribe for mail about events (List-Unsubscribe and List-Unsubscribe-Post). */
  unsubscribeUrl?: string;
  /** Not before this time (the end of the recipient's quiet hours); at once when absent. */
  notBefore?: Date;
};

/** A mail not sent after this many tries is given up (the last wait is six hours: about two days in all). */
export const maxMailAttempts = 12;
/** How long a process may hold a mail it is sending before another may try it. */
const sendingLeaseMs = 2 * 60 * 1000;

/** The wait after the `attempts`-th failure: one minute, doubling, at most six hours. */
export function retryDelayMs(attempts: number) {
  return Math.min(60_000 * 2 ** (attempts - 1), 6 * 60 * 60 * 1000);
}

/** The sender: MAIL_FROM, or its address under another name ("Notifications", in discreet mode). */
function sender(name: string | null) {
  const from = env().MAIL_FROM;
  return name ? { name, address: /<([^>]+)>/.exec(from)?.[1] ?? from } : from;
}

/**
 * Composes one mail as its recipient asked for it, in their language (decision 022) and discreetly
 * when they chose discreet mode (decision 021), both looked up here so no caller can forget, and
 * writes it to the outbox. Returns the outbox row's id.
 */
async function queueMail(db: Database, mail: OutgoingMail, now = new Date()) {
  const person = await findPersonByEmail(db, mail.to);
  const language = person?.language ?? mail.language ?? "en";
  const discreet = person?.discreet ?? false;
  const t = serverTranslator(language);
  const content = discreet
    ? {
        subject: t("mail.discreet.subject"),
        text: [
          mail.actionLink
            ? t("mail.discreet.linkBody", { link: mail.actionLink })
            : t("mail.discreet.body", { link: `${env().appUrl}/login` }),
          ...(mail.unsubscribeUrl ? [t("mail.discreet.unsubscribe", { unsubscribe: mail.unsubscribeUrl })] : []),
        ].join("\n\n"),
      }
    : mail.compose(t, `${language}-US`);
  const id = newId();
  await db.insert(outboxMessages).values({
    id,
    programId: mail.programId,
    toAddress: mail.to,
    senderName: discreet ? t("mail.discreet.sender") : null,
    subject: content.subject,
    textBody: content.text,
    calendar: mail.calendar ? sessionsCalendar(mail.calendar.sessions, mail.calendar.timeZone, { discreet, language }) : null,
    calendarFile: mail.calendar ? (discreet ? "appointment.ics" : "care-circle-meeting.ics") : null,
    unsubscribeUrl: mail.unsubscribeUrl ?? null,
    nextAttemptAt: mail.notBefore && mail.notBefore > now ? mail.notBefore : now,
  });
  return id;
}

type OutboxRow = typeof outboxMessages.$inferSelect;

/** Sends one claimed row; true when the mail server took it. A failure waits longer each time, then gives up. */
async function deliver(db: Database, row: OutboxRow, now: Date) {
  try {
    await transport().sendMail({
      from: sender(row.senderName),
      to: row.toAddress,
      subject: row.subject,
      text: row.textBody,
      headers: row.unsubscribeUrl
        ? { "List-Unsubscribe": `<${row.unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" }
        : undefined,
      icalEvent: row.calendar
        ? { filename: row.calendarFile ?? "calendar.ics", method: "PUBLISH", content: row.calendar }
        : undefined,
    });
  } catch {
    const attempts = row.attempts + 1;
    const givenUp = attempts >= maxMailAttempts;
    // Never the address or the server's answer: either can name the person.
    console.error(
      givenUp
        ? `A mail was given up after ${attempts} attempts`
        : `A mail could not be sent (attempt ${attempts}); it will be tried again`,
    );
    await db
      .update(outboxMessages)
      .set(
        givenUp
          ? { status: "failed", attempts, textBody: "", calendar: null }
          : { attempts, nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)) },
      )
      .where(eq(outboxMessages.id, row.id));
    return false;
  }
  if (env().SMTP_URL) await db.delete(outboxMessages).where(eq(outboxMessages.id, row.id));
  else
    await db
      .update(outboxMessages)
      .set({ status: "sent", attempts: row.attempts + 1, sentAt: now })
      .where(eq(outboxMessages.id, row.id));
  return true;
}

/** Takes a due row for this process (another process then leaves it alone), or null when it is not due or taken. */
async function claim(db: Database, id: string, now: Date) {
  const [row] = await db
    .update(outboxMessages)
    .set({ nextAttemptAt: new Date(now.getTime() + sendingLeaseMs) })
    .where(and(eq(outboxMessages.id, id), eq(outboxMessages.status, "queued"), lte(outboxMessages.nextAttemptAt, now)))
    .returning();
  return row ?? null;
}

/**
 * Sends every mail that is due (the outbox job, and `npm run digest`); returns how many went. Each row
 * is claimed before it is sent, so two processes never send one mail twice.
 */
export async function deliverDueMail(db: Database, now = new Date(), limit = 100) {
  const due = await db
    .select({ id: outboxMessages.id })
    .from(outboxMessages)
    .where(and(eq(outboxMessages.status, "queued"), lte(outboxMessages.nextAttemptAt, now)))
    .orderBy(asc(outboxMessages.nextAttemptAt))
    .limit(limit);
  let sent = 0;
  for (const { id } of due) {
    const row = await claim(db, id, now);
    if (row && (await deliver(db, row, now))) sent += 1;
  }
  return sent;
}

/**
 * Writes the mail to the outbox and, when it is due now, tries it at once. Throws when that first try
 * failed (the caller says so); the mail stays in the outbox and is tried again later.
 */
export async function sendMail(db: Database, mail: OutgoingMail, now = new Date()) {
  const id = await queueMail(db, mail, now);
  const row = await claim(db, id, now);
  if (row && !(await deliver(db, row, now))) throw new Error("The mail server did not take the mail; it stays in the outbox");
}

export async function listOutbox(db: Database, programId: string, limit = 50) {
  return db
    .select()
    .from(outboxMessages)
    .where(and(eq(outboxMessages.programId, programId), eq(outboxMessages.status, "sent")))
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

export type FamilySessionNews = "invited" | "changed" | "cancelled";

/**
 * A family session's invitation, change or cancellation, with its calendar file. It says only when
 * (in the program's time zone, written for the reader's language) and where: the subject and the body
 * name neither the patient nor their treatment. It is mail about an event, so it carries the
 * notifier's unsubscribe link and footer and waits for the end of quiet hours.
 */
export async function sendFamilySessionMail(
  db: Database,
  recipient: { programId: string; email: string; name: string },
  news: FamilySessionNews,
  session: CalendarSession & { timeZone: string; path: string },
  notice: { unsubscribeUrl: string; notBefore: Date; footer: (t: Translate, unsubscribeUrl: string) => string },
  now = new Date(),
) {
  return sendMail(
    db,
    {
      programId: recipient.programId,
      to: recipient.email,
      compose: (t, formatLocale) => ({
        subject: t(`mail.familySession.${news}.subject`),
        text: `${t(`mail.familySession.${news}.body`, {
          name: recipient.name,
          when: `${formatInstant(formatLocale, session.timeZone, session.startsAt)} (${session.timeZone})`,
          count: session.durationMinutes,
          place: session.location ?? session.videoUrl ?? "",
          link: `${env().appUrl}${session.path}`,
        })}\n\n${notice.footer(t, notice.unsubscribeUrl)}`,
      }),
      calendar: { sessions: [session], timeZone: session.timeZone },
      unsubscribeUrl: notice.unsubscribeUrl,
      notBefore: notice.notBefore,
    },
    now,
  );
}
