import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { outboxMessages } from "#db/schema";
import { db } from "../support/database";
import { decoded, startSmtpServer } from "../support/smtp";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe("mail over SMTP", () => {
  it("delivers a neutral activation message with a working link to a real SMTP server", async () => {
    const smtp = await startSmtpServer();
    try {
      vi.stubEnv("SMTP_URL", `smtp://127.0.0.1:${smtp.port}`);
      vi.stubEnv("MAIL_FROM", "Care Circle <no-reply@care-circle.test>");
      const { sendActivationMail } = await import("~/mail.server");

      await sendActivationMail(db, { programId: null, email: "robin@example.test", name: "Robin" }, "TOKEN123");

      expect(smtp.received).toHaveLength(1);
      const [mail] = smtp.received;
      expect(mail!.from).toBe("no-reply@care-circle.test");
      expect(mail!.to).toEqual(["robin@example.test"]);
      expect(mail!.raw).toMatch(/^Subject: You have been invited to Care Circle\r?$/m);
      expect(decoded(mail!.raw)).toContain("http://care-circle.test/activate?token=TOKEN123");
      expect(decoded(mail!.raw)).not.toMatch(/addiction|substance|treatment|therapy|diagnos/i);
      expect(await db.select().from(outboxMessages).all()).toHaveLength(0);
    } finally {
      await smtp.close();
    }
  });

  it("fails loudly (for the caller to report) when the SMTP server is unreachable, and keeps the mail to try again", async () => {
    const smtp = await startSmtpServer();
    await smtp.close();
    vi.stubEnv("SMTP_URL", `smtp://127.0.0.1:${smtp.port}`);
    const { deliverActivation } = await import("~/mail.server");
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const email = `robin-${crypto.randomUUID()}@example.test`;
    expect(await deliverActivation(db, { programId: null, email, name: "Robin" }, "T")).toBe(false);
    expect(errors.mock.calls.flat().join(" ")).not.toContain(email);
    const [kept] = await db.select().from(outboxMessages).where(eq(outboxMessages.toAddress, email)).all();
    expect(kept).toMatchObject({ status: "queued", attempts: 1 });
    expect(kept!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
  });
});

describe("mail without SMTP", () => {
  it("keeps each message in the program's outbox, for the development mailbox", async () => {
    const { sendPasswordResetMail, listOutbox } = await import("~/mail.server");
    const { createProgram } = await import("~/models/program.server");
    const program = await createProgram(db, "Outbox program", "America/Denver");
    await sendPasswordResetMail(db, { programId: program.id, email: "sam@example.test", name: "Sam" }, "RESET456");
    const [kept] = await listOutbox(db, program.id);
    expect(kept).toMatchObject({ toAddress: "sam@example.test", subject: "Reset your Care Circle password" });
    expect(kept!.textBody).toContain("http://care-circle.test/reset-password?token=RESET456");
    expect(kept!.textBody).toContain("expires in 1 hour");
  });
});
