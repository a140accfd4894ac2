import { audienceOffered, checkInForm, redirectedTo, Visitor, type Answer } from "../../tests/support/visitor";
import type { Target } from "./cells";
import { seedPassword, type Account, type BenchUsers } from "./data";
import { browserHeaders } from "./floors";

/** What `--pages` can pick from, in the order they run: the write after every read, sign-in last. */
export const pageKeys = [
  "supporter-home",
  "supporter-updates",
  "patient-home",
  "patient-check-ins",
  "therapist-caseload",
  "therapist-patient",
  "module-section",
  "disclosures-csv",
  "post-check-in",
  "sign-in",
] as const;
export type PageKey = (typeof pageKeys)[number];

const page = (status: number) => status === 200;

/** Signs in as `account` through the sign-in form, acting as that very membership. */
async function signedIn(url: string, account: Account) {
  const visitor = new Visitor(url);
  await visitor.signIn(account.email, seedPassword, account.membershipId);
  return visitor;
}

/** A page as `visitor` asks for it; checked once by hand first, so that a cell never measures a wrong answer. */
async function pageAs(visitor: Visitor, key: PageKey, label: string, path: string): Promise<Target> {
  const answer = await visitor.get(path);
  if (answer.status !== 200) throw new Error(`${key}: ${path} answered ${answer.status} ${answer.location ?? ""}`);
  return { key, label, kind: "read", method: "GET", path, headers: headersOf(visitor), succeeded: page };
}

function headersOf(visitor: Visitor) {
  return { ...browserHeaders, Cookie: visitor.cookieHeader! };
}

function formHeaders(visitor: Visitor) {
  // The same-origin check (decision 003) wants the Origin a browser sends with a form.
  return { ...headersOf(visitor), Origin: visitor.base, "Content-Type": "application/x-www-form-urlencoded" };
}

function encoded(form: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) for (const item of [value].flat()) body.append(key, item);
  return body.toString();
}

/** The chosen people signed in over HTTP, and each wanted page as a target for autocannon. */
export async function pageTargets(url: string, users: BenchUsers, wanted: PageKey[]): Promise<Target[]> {
  const supporter = await signedIn(url, users.supporter);
  const patient = await signedIn(url, users.patient);
  const therapist = await signedIn(url, users.therapist);
  const { slug, section } = users.module;
  const make: Record<PageKey, () => Promise<Target>> = {
    "supporter-home": () => pageAs(supporter, "supporter-home", "supporter: home", "/supporter"),
    "supporter-updates": () => pageAs(supporter, "supporter-updates", "supporter: updates", "/supporter/updates"),
    "patient-home": () => pageAs(patient, "patient-home", "patient: home", "/patient"),
    "patient-check-ins": () => pageAs(patient, "patient-check-ins", "patient: check-ins", "/patient/check-ins"),
    "therapist-caseload": () => pageAs(therapist, "therapist-caseload", "therapist: caseload", "/therapist"),
    "therapist-patient": () =>
      pageAs(therapist, "therapist-patient", "therapist: a patient's page", `/therapist/patients/${users.therapistPatient.id}`),
    "module-section": () =>
      pageAs(supporter, "module-section", "supporter: a module section", `/supporter/learning/${slug}/sections/${section}`),
    "disclosures-csv": () => pageAs(patient, "disclosures-csv", "patient: disclosure log CSV", "/patient/disclosures.csv"),
    "post-check-in": async () => {
      // The real form: the audience is whoever the page offers today.
      const form = await patient.get("/patient/check-ins/new");
      if (form.status !== 200) throw new Error(`post-check-in: the form answered ${form.status}`);
      const fields = checkInForm("A steady day, written by the benchmark", audienceOffered(form));
      const saved: Answer = await patient.post("/patient/check-ins/new", fields);
      if (!redirectedTo(saved, "/patient/check-ins?saved=1")) throw new Error(`post-check-in: saving answered ${saved.status}`);
      return {
        key: "post-check-in",
        label: "patient: posts a check-in",
        kind: "write",
        method: "POST",
        path: "/patient/check-ins/new",
        headers: formHeaders(patient),
        body: encoded(fields),
        // The redirect after a save; a page with field errors (400) or anything else is an error.
        succeeded: (status) => status === 302 || status === 303,
      };
    },
    "sign-in": async () => {
      let next = 0;
      const emails = users.signInEmails;
      return {
        key: "sign-in",
        label: `sign-in (argon2id, ${emails.length} accounts in turn)`,
        kind: "sign-in",
        method: "POST",
        path: "/login",
        headers: { ...browserHeaders, Origin: url, "Content-Type": "application/x-www-form-urlencoded" },
        // A different account each time: the throttle (decision 011) is per account and address, and is not what is measured.
        nextBody: () => encoded({ email: emails[next++ % emails.length]!, password: seedPassword, redirectTo: "" }),
        succeeded: (status) => status === 302,
      };
    },
  };
  const targets: Target[] = [];
  for (const key of pageKeys) if (wanted.includes(key)) targets.push(await make[key]());
  return targets;
}
