import { afterEach, describe, expect, it, vi } from "vitest";

async function freshEnv(values: Record<string, string | undefined>) {
  vi.resetModules();
  for (const [name, value] of Object.entries(values)) vi.stubEnv(name, value);
  const { env } = await import("~/env.server");
  return env;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("the environment", () => {
  it("seeds demo data and keeps a development mailbox outside production", async () => {
    const env = await freshEnv({ NODE_ENV: "development", SMTP_URL: undefined, DEMO: undefined });
    expect(env()).toMatchObject({
      demoEnabled: true,
      mailboxEnabled: true,
      SESSION_IDLE_MINUTES: 30,
      SESSION_ABSOLUTE_HOURS: 12,
    });
  });

  it("has no demo data and no mailbox page in production, unless DEMO=1 asks for the demo", async () => {
    const production = await freshEnv({ NODE_ENV: "production", DEMO: undefined, SMTP_URL: undefined });
    expect(production()).toMatchObject({ demoEnabled: false, mailboxEnabled: false });
    const demo = await freshEnv({ NODE_ENV: "production", DEMO: "1" });
    expect(demo()).toMatchObject({ demoEnabled: true, mailboxEnabled: false });
  });

  it("derives the public address from the port, and refuses bad values with every problem named", async () => {
    expect((await freshEnv({ PORT: "4123", APP_URL: undefined }))().appUrl).toBe("http://localhost:4123");
    const bad = await freshEnv({ PORT: "99999", SESSION_IDLE_MINUTES: "zero", APP_URL: "not a url" });
    expect(() => bad()).toThrow(/PORT[\s\S]*APP_URL[\s\S]*SESSION_IDLE_MINUTES/);
  });

  it("takes default quiet hours as HH:MM-HH:MM or off, and refuses anything else", async () => {
    expect((await freshEnv({ DEFAULT_QUIET_HOURS: undefined }))().DEFAULT_QUIET_HOURS).toBe("21:00-08:00");
    expect((await freshEnv({ DEFAULT_QUIET_HOURS: "off" }))().DEFAULT_QUIET_HOURS).toBe("off");
    expect((await freshEnv({ DEFAULT_QUIET_HOURS: "22:30-06:45" }))().DEFAULT_QUIET_HOURS).toBe("22:30-06:45");
    for (const value of ["21:00", "24:00-08:00", "9:00-17:00", "08:00-08:00", "never"]) {
      const env = await freshEnv({ DEFAULT_QUIET_HOURS: value });
      expect(() => env(), value).toThrow(/DEFAULT_QUIET_HOURS/);
    }
  });

  it("runs background checkpoints unless told off, and refuses anything else", async () => {
    expect((await freshEnv({ BACKGROUND_CHECKPOINTS: undefined }))().BACKGROUND_CHECKPOINTS).toBe("on");
    expect((await freshEnv({ BACKGROUND_CHECKPOINTS: "off" }))().BACKGROUND_CHECKPOINTS).toBe("off");
    const env = await freshEnv({ BACKGROUND_CHECKPOINTS: "no" });
    expect(() => env()).toThrow(/BACKGROUND_CHECKPOINTS/);
  });
});
