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

  /** Signs in through the sign-in page and its form, as a person does; throws unless the server lets them in. */
  async signIn(email: string, password: string) {
    const page = await this.get("/login");
    if (page.status !== 200) throw new Error(`The sign-in page answered ${page.status}`);
    const answer = await this.post("/login", { email, password, redirectTo: "" });
    if (answer.status !== 302 || !this.#cookie) throw new Error(`Signing in as ${email} answered ${answer.status}`);
    return answer;
  }

  async #send(method: string, path: string, body?: URLSearchParams): Promise<Answer> {
    const headers: Record<string, string> = { "Accept-Language": "en-US" };
    if (this.#cookie) headers.Cookie = `${sessionCookie}=${this.#cookie}`;
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

/** A new check-in from the patient signed in on `visitor`, shared with `audience` and the care team. */
export function postCheckIn(visitor: Visitor, wins: string, audience: string[]) {
  return visitor.post("/patient/check-ins/new", { mood: "4", craving: "2", wins, audience, sharedWithCareTeam: "on" });
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
