import { performance } from "node:perf_hooks";

/** What came back for one request: redirects are not followed, so a POST's redirect is its acknowledgement. */
export type Answer = { status: number; location: string | null; body: string; ms: number };
/** Told of every answer, for counting and timing. */
export type AnswerObserver = (method: string, path: string, answer: Answer) => void;

const sessionCookie = "care_circle_session";

/**
 * One person's browser talking to a running server over real HTTP: it keeps the session cookie the
 * server sets, sends forms as a browser does (same-origin, URL-encoded), and reads every body.
 * A network failure (the server gone) rejects; any HTTP answer resolves.
 */
export class Visitor {
  #cookie: string | null = null;

  constructor(
    readonly base: string,
    private readonly observe?: AnswerObserver,
  ) {}

  get(path: string) {
    return this.#send("GET", path);
  }

  post(path: string, form: Record<string, string | string[]>) {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(form)) for (const item of [value].flat()) body.append(key, item);
    return this.#send("POST", path, body);
  }

  /**
   * Signs in through the sign-in page and its form, as a person does; throws unless the server lets them in.
   * A person with several memberships is asked which one acts: `membershipId` answers that page's form.
   */
  async signIn(email: string, password: string, membershipId?: string) {
    const page = await this.get("/login");
    if (page.status !== 200) throw new Error(`The sign-in page answered ${page.status}`);
    const answer = await this.post("/login", { email, password, redirectTo: "" });
    if (answer.status !== 302 || !this.#cookie) throw new Error(`Signing in as ${email} answered ${answer.status}`);
    if (!membershipId || !answer.location?.startsWith("/account/roles")) return answer;
    const chosen = await this.post("/account/roles", { membershipId });
    if (chosen.status !== 302) throw new Error(`Choosing membership ${membershipId} for ${email} answered ${chosen.status}`);
    return chosen;
  }

  /** The Cookie header this browser sends, for a load tool that replays its session (null before sign-in). */
  get cookieHeader() {
    return this.#cookie ? `${sessionCookie}=${this.#cookie}` : null;
  }

  async #send(method: string, path: string, body?: URLSearchParams): Promise<Answer> {
    const headers: Record<string, string> = { "Accept-Language": "en-US" };
    if (this.cookieHeader) headers.Cookie = this.cookieHeader;
    // What a browser sends with a form from the page it is on: the same-origin check needs it.
    if (method !== "GET") headers.Origin = this.base;
    const started = performance.now();
    const response = await fetch(`${this.base}${path}`, { method, headers, body, redirect: "manual" });
    const text = await response.text();
    const ms = performance.now() - started;
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const [name, value] = pair!.split("=");
      if (name === sessionCookie) this.#cookie = value || null;
    }
    const answer = { status: response.status, location: response.headers.get("Location"), body: text, ms };
    this.observe?.(method, path, answer);
    return answer;
  }
}

/** Whether `answer` is the redirect an action sends after it saved (`/patient/check-ins?saved=1`, …). */
export function redirectedTo(answer: Answer, path: string) {
  return answer.status === 302 && answer.location === path;
}

/** The fields of the new check-in form, filled in as a patient does: shared with `audience` and the care team. */
export function checkInForm(wins: string, audience: string[]) {
  return { mood: "4", craving: "2", wins, audience, sharedWithCareTeam: "on" };
}

/** The link ids the new check-in form offers as its audience (its checkboxes), read from the page. */
export function audienceOffered(page: Answer) {
  return [...page.body.matchAll(/<input[^>]*\bname="audience"[^>]*>/g)].map((input) => /\bvalue="([^"]+)"/.exec(input[0])![1]!);
}

/** A new check-in from the patient signed in on `visitor`, shared with `audience` and the care team. */
export function postCheckIn(visitor: Visitor, wins: string, audience: string[]) {
  return visitor.post("/patient/check-ins/new", checkInForm(wins, audience));
}

/**
 * Changes the consent behind `linkId` as the patient does on the page: asks for the preview, then
 * signs the very text previewed. Resolves with the signing's answer, or the preview's when it failed.
 */
export async function changeConsentOnPage(
  visitor: Visitor,
  linkId: string,
  choice: { categories: string[]; purpose: string; signature: string },
) {
  const form = { categories: choice.categories, purpose: choice.purpose, expiryKind: "episode_end" };
  const preview = await visitor.post(`/patient/circle/${linkId}`, { ...form, intent: "review" });
  const digest = /name="previewDigest" value="([^"]+)"/.exec(preview.body)?.[1];
  if (preview.status !== 200 || !digest) return preview;
  return visitor.post(`/patient/circle/${linkId}`, {
    ...form,
    intent: "sign",
    signature: choice.signature,
    previewDigest: digest,
  });
}
