import { consentLapsedAt } from "~/models/circle-link.server";
import { assertTransition, type CircleActor } from "~/models/circle-state";
import { newId, sha256Hex } from "~/utils/crypto.server";
import { sharingCategories, type LinkStatus, type Relationship, type Role, type SharingCategory } from "~/vocabulary";
import { days, hours, type ProgramCalendar } from "./calendar";
import type { Random } from "./random";
import { familyRelationships, firstNames, lastNames, purposes, refusalReasons, relationshipWeights, safetyNotes } from "./texts";

/**
 * The program's people and care circles with every link's whole history, planned in memory before
 * anything is written: who invited whom and when, what each consent version allowed and when it ended.
 * The rules are the app's: each step of a link passes its state machine, and a consent that has lapsed
 * by today is expired, one that has not is still in force.
 */

export const patientsPerTherapist = 25;
const adminCount = 2;
/** Supporters a patient invites: 0 to 6, three on average. */
const circleSizeWeights = [
  [0, 6],
  [1, 12],
  [2, 20],
  [3, 24],
  [4, 18],
  [5, 12],
  [6, 8],
] as const;

/** How a link's story ends (or where it stands today). */
export type Scenario = "active" | "revoked" | "expired" | "invited" | "accepted" | "refused" | "cancelled";
const scenarioWeights: readonly (readonly [Scenario, number])[] = [
  ["active", 62],
  ["revoked", 10],
  ["expired", 8],
  ["invited", 6],
  ["accepted", 6],
  ["refused", 4],
  ["cancelled", 4],
];
/** Ever accepted by the supporter, so a person and a supporter membership stand behind it. */
const acceptedScenarios: readonly Scenario[] = ["active", "revoked", "expired", "accepted", "refused"];
const categoryOdds: Record<SharingCategory, number> = { attendance: 0.4, progress: 0.75, milestones: 0.7, education: 0.55 };

export type PersonPlan = {
  id: string;
  email: string;
  /** The address their requests come from, for the audit trail. */
  ipAddress: string;
  createdAt: number;
  /** When they set a password (activation, or signing up through an invitation). */
  activatedAt: number;
  memberships: MemberPlan[];
};

export type MemberPlan = { id: string; person: PersonPlan; role: Role; name: string; createdAt: number; activatedAt: number };

export type PatientHabits = {
  /** Chance of a check-in on any day: about three a week on average. */
  checkInRate: number;
  /** Chance that a check-in is shared with no supporter at all. */
  privateRate: number;
  moodBase: number;
  moodGain: number;
  cravingBase: number;
  /** Chance of a sign-in on a day without a check-in (reading replies, the circle, the plan). */
  browseRate: number;
};

export type PatientPlan = {
  index: number;
  member: MemberPlan;
  firstName: string;
  lastName: string;
  therapist: MemberPlan;
  enroller: MemberPlan;
  episodeId: string;
  episodeStartDay: number;
  plannedWeeks: number;
  enrolledAt: number;
  links: LinkPlan[];
  habits: PatientHabits;
};

export type SupporterHabits = {
  /** Chance of a visit on any day while they have a live link. */
  visitRate: number;
  /** Chance of answering a check-in they see that was shared in the last few days. */
  replyRate: number;
  /** Chance of taking up a module they were asked to take, and of finishing what they start. */
  diligence: number;
};

export type SupporterPlan = { member: MemberPlan; links: LinkPlan[]; habits: SupporterHabits };

/** Whoever a patient invites, by e-mail: a new person, someone already supporting another patient, or a patient. */
export type InviteePlan = {
  email: string;
  name: string;
  /** Set when the invitee already has an account (a patient), or once an acceptance gives them one. */
  person: PersonPlan | null;
  supporter: SupporterPlan | null;
  /** The acceptance that created their person (`acceptWithNewAccount`), if any. */
  signedUpBy: LinkPlan | null;
};

export type ConsentPlan = {
  /** Filled in when the consent is signed in the database. */
  id: string;
  version: number;
  categories: SharingCategory[];
  purpose: string;
  expiryKind: "date" | "episode_end";
  expiresOn: string | null;
  signedAt: number;
  /** When a newer version superseded it or the link's end ended it; null while it is the current one. */
  endedAt: number | null;
};

export type SharedItem = { at: number; checkInId: string; kind: "check_in" | "slip" };

export type LinkPlan = {
  id: string;
  patient: PatientPlan;
  invitee: InviteePlan;
  invitedName: string;
  relationship: Relationship;
  scenario: Scenario;
  status: LinkStatus;
  invitedAt: number;
  invitationExpiresAt: number;
  invitationTokenHash: string | null;
  resentAt: number | null;
  acceptedAt: number | null;
  decidedAt: number | null;
  decidedBy: MemberPlan | null;
  approvedAt: number | null;
  refusalReason: string | null;
  safetyNote: string | null;
  endedAt: number | null;
  endedBy: MemberPlan | null;
  endedAs: CircleActor | null;
  /** Nothing is shown under the link from this instant: its end, or the end of its consent's last day. */
  liveUntil: number;
  consents: ConsentPlan[];
  /** How readily the patient shares a check-in with this supporter. */
  affinity: number;
  supporter: SupporterPlan | null;
  /** Filled in as the patient's year is written, and read when the supporter's visits are. */
  shared: SharedItem[];
  assignments: { id: string; moduleId: string; createdAt: number; byTherapist: boolean }[];
  asks: { itemId: string; askedAt: number }[];
};

export type ProgramPlan = {
  programId: string;
  programName: string;
  createdAt: number;
  admins: MemberPlan[];
  therapists: MemberPlan[];
  patients: PatientPlan[];
  supporters: SupporterPlan[];
  people: PersonPlan[];
  links: LinkPlan[];
};

/** The consent in force under a link at `at`, if the link was approved and live then. */
export function liveConsentAt(link: LinkPlan, at: number): ConsentPlan | null {
  if (link.approvedAt === null || at < link.approvedAt || at >= link.liveUntil) return null;
  return link.consents.find((consent) => consent.signedAt <= at && (consent.endedAt === null || at < consent.endedAt)) ?? null;
}

export function currentConsent(link: LinkPlan): ConsentPlan {
  return link.consents.at(-1)!;
}

function ipAddressOf(random: Random) {
  return `${random.pick(["198.51.100", "203.0.113", "192.0.2"])}.${random.int(1, 254)}`;
}

function person(random: Random, email: string, createdAt: number, activatedAt: number): PersonPlan {
  return { id: newId(), email, ipAddress: ipAddressOf(random), createdAt, activatedAt, memberships: [] };
}

function member(owner: PersonPlan, role: Role, name: string, createdAt: number, activatedAt: number): MemberPlan {
  const membership = { id: newId(), person: owner, role, name, createdAt, activatedAt };
  owner.memberships.push(membership);
  return membership;
}

function chooseCategories(random: Random): SharingCategory[] {
  const chosen = sharingCategories.filter((category) => random.chance(categoryOdds[category]));
  return chosen.length > 0 ? chosen : [random.pick(["progress", "milestones"] as const)];
}

/** A patient's change of mind: one or two categories switched, never none left. */
function changeCategories(random: Random, from: SharingCategory[]): SharingCategory[] {
  for (;;) {
    const flipped = new Set(random.sample(sharingCategories, random.int(1, 2)));
    const next = sharingCategories.filter((category) => from.includes(category) !== flipped.has(category));
    if (next.length > 0) return next;
  }
}

export type PlanOptions = { patients: number; random: Random; calendar: ProgramCalendar; programName: string };

export function planProgram({ patients: patientCount, random, calendar, programName }: PlanOptions): ProgramPlan {
  const programCreatedDay = 420;
  const createdAt = calendar.at(programCreatedDay, 9);
  const people: PersonPlan[] = [];
  const staff = (role: "admin" | "therapist", number: number, day: number) => {
    const created = calendar.at(day, random.between(9, 16));
    const activated = created + hours(random.between(1, 30));
    const owner = person(random, `${role}-${number}@large.test`, created, activated);
    people.push(owner);
    return member(owner, role, `${random.pick(firstNames)} ${random.pick(lastNames)}`, created, activated);
  };
  const admins = Array.from({ length: adminCount }, (_, i) => staff("admin", i + 1, programCreatedDay - i));
  const therapistCount = Math.max(1, Math.round(patientCount / patientsPerTherapist));
  const therapists = Array.from({ length: therapistCount }, (_, i) => staff("therapist", i + 1, random.int(400, 415)));

  const patients = Array.from({ length: patientCount }, (_, index): PatientPlan => {
    const therapist = therapists[index % therapistCount]!;
    const episodeStartDay = random.int(365, 395);
    const enrolledAt = calendar.at(episodeStartDay, random.between(9, 16));
    const activatedAt = enrolledAt + hours(random.between(1, 40));
    const firstName = random.pick(firstNames);
    const lastName = random.pick(lastNames);
    const owner = person(random, `patient-${index + 1}@large.test`, enrolledAt, activatedAt);
    people.push(owner);
    const checkInsPerWeek = random.between(1.5, 4.5);
    return {
      index,
      member: member(owner, "patient", `${firstName} ${lastName}`, enrolledAt, activatedAt),
      firstName,
      lastName,
      therapist,
      enroller: random.chance(0.8) ? therapist : random.pick(admins),
      episodeId: newId(),
      episodeStartDay,
      plannedWeeks: random.pick([52, 56, 60]),
      enrolledAt,
      links: [],
      habits: {
        checkInRate: checkInsPerWeek / 7,
        privateRate: random.between(0.03, 0.25),
        moodBase: random.between(2, 3.2),
        moodGain: random.between(0, 1.4),
        cravingBase: random.between(4.5, 8),
        browseRate: random.between(0.02, 0.12),
      },
    };
  });

  const links = planCircles(random, calendar, patients, admins);
  const supporters = giveInviteesAccounts(random, links, people);
  return {
    programId: newId(),
    programName,
    createdAt,
    admins,
    therapists,
    patients,
    supporters,
    people,
    links,
  };
}

/**
 * Every patient's invitations. The first links of the program cover every scenario, and the first four
 * patients make sure of the two shapes a small program would otherwise be likely to miss: a supporter of
 * two patients, and a patient who supports another patient.
 */
function planCircles(random: Random, calendar: ProgramCalendar, patients: PatientPlan[], admins: MemberPlan[]) {
  const links: LinkPlan[] = [];
  const invitees = new Map<string, InviteePlan>();
  /** Invitees who accepted a link already, whom a second patient may invite too. */
  const supporterPool: InviteePlan[] = [];
  /** The same invitees, for the membership test: a search of the array grows with the program. */
  const pooled = new Set<InviteePlan>();
  const missingScenarios: Scenario[] = ["active", "revoked", "expired", "invited", "accepted", "refused", "cancelled"];
  let newSupporters = 0;

  const newInvitee = (patient: PatientPlan, relationship: Relationship): InviteePlan => {
    newSupporters += 1;
    const lastName = familyRelationships.includes(relationship) ? patient.lastName : random.pick(lastNames);
    const invitee = {
      email: `supporter-${newSupporters}@large.test`,
      name: `${random.pick(firstNames)} ${lastName}`,
      person: null,
      supporter: null,
      signedUpBy: null,
    };
    invitees.set(invitee.email, invitee);
    return invitee;
  };
  const patientAsInvitee = (other: PatientPlan): InviteePlan => {
    const email = other.member.person.email;
    let invitee = invitees.get(email);
    if (!invitee) {
      invitee = { email, name: other.member.name, person: other.member.person, supporter: null, signedUpBy: null };
      invitees.set(email, invitee);
    }
    return invitee;
  };

  for (const patient of patients) {
    const forced = patients.length >= 4 && patient.index < 4;
    const size = Math.max(forced ? 1 : 0, random.weighted(circleSizeWeights));
    const invited = new Set<string>([patient.member.person.email]);
    const activationDay = calendar.daysAgoOf(patient.member.activatedAt);
    for (let n = 0; n < size; n++) {
      const relationship = random.weighted(relationshipWeights);
      const scenario: Scenario = forced && n === 0 ? "active" : (missingScenarios.shift() ?? random.weighted(scenarioWeights));
      let invitee: InviteePlan | undefined;
      let invitedDay = chooseInvitedDay(random, scenario, activationDay);
      if (forced && n === 0 && patient.index === 1) invitee = links[0]!.invitee;
      if (forced && n === 0 && patient.index === 3) {
        invitee = patientAsInvitee(patients[2]!);
        invitedDay = Math.min(invitedDay, calendar.daysAgoOf(patients[2]!.member.activatedAt) - 1);
      }
      if (!invitee && supporterPool.length > 0 && random.chance(0.06)) {
        const candidates = Array.from({ length: 4 }, () => random.pick(supporterPool));
        invitee = candidates.find((candidate) => !invited.has(candidate.email));
      }
      if (!invitee && random.chance(0.025)) {
        // A patient of the program who also supports someone: activated before this invitation came.
        const other = random.pick(patients);
        if (!invited.has(other.member.person.email) && other.member.activatedAt < calendar.at(invitedDay, 0)) {
          invitee = patientAsInvitee(other);
        }
      }
      invitee ??= newInvitee(patient, relationship);
      invited.add(invitee.email);
      const link = planLink(random, calendar, patient, invitee, relationship, scenario, invitedDay, admins);
      links.push(link);
      patient.links.push(link);
      if (acceptedScenarios.includes(scenario) && !pooled.has(invitee)) {
        pooled.add(invitee);
        supporterPool.push(invitee);
      }
      // Some patients invite a supporter again after a dated consent ran out.
      const renewalDay = link.endedAt === null ? 0 : calendar.daysAgoOf(link.endedAt) - 3;
      if (scenario === "expired" && renewalDay >= 10 && random.chance(0.5)) {
        const renewal = planLink(random, calendar, patient, invitee, relationship, "active", renewalDay, admins);
        links.push(renewal);
        patient.links.push(renewal);
      }
    }
  }
  return links;
}

/** The day (days before today) a patient sends an invitation, leaving room for the rest of its story. */
function chooseInvitedDay(random: Random, scenario: Scenario, activationDay: number) {
  if (scenario === "invited") return random.int(1, 20);
  if (scenario === "accepted") return random.int(2, 14);
  const earliest = activationDay - 1;
  const latest = { active: 3, revoked: 20, expired: 45, refused: 10, cancelled: 10 }[scenario];
  // Most invitations go out in the first weeks of the episode; some come much later.
  const offset = random.chance(0.7) ? random.int(0, 28) : random.int(0, earliest - latest);
  return Math.max(latest, earliest - offset);
}

function planLink(
  random: Random,
  calendar: ProgramCalendar,
  patient: PatientPlan,
  invitee: InviteePlan,
  relationship: Relationship,
  scenario: Scenario,
  invitedDay: number,
  admins: MemberPlan[],
): LinkPlan {
  const yesterdayEvening = calendar.at(1, 22);
  const invitedAt = calendar.at(invitedDay, random.between(8, 21));
  const link: LinkPlan = {
    id: newId(),
    patient,
    invitee,
    invitedName: invitee.name,
    relationship,
    scenario,
    status: "invited",
    invitedAt,
    invitationExpiresAt: invitedAt + days(7),
    invitationTokenHash: null,
    resentAt: null,
    acceptedAt: null,
    decidedAt: null,
    decidedBy: null,
    approvedAt: null,
    refusalReason: null,
    safetyNote: null,
    endedAt: null,
    endedBy: null,
    endedAs: null,
    liveUntil: Number.POSITIVE_INFINITY,
    consents: [],
    affinity: random.between(0.4, 1),
    supporter: null,
    shared: [],
    assignments: [],
    asks: [],
  };
  const move = (to: LinkStatus, by: CircleActor) => {
    assertTransition(link.status, to, by);
    link.status = to;
  };
  const careTeam = () => (random.chance(0.85) ? patient.therapist : random.pick(admins));
  const end = (to: LinkStatus, by: CircleActor, at: number, ender: MemberPlan | null) => {
    move(to, by);
    link.endedAt = at;
    link.endedBy = ender;
    link.endedAs = by;
    link.liveUntil = Math.min(link.liveUntil, at);
  };

  if (scenario === "invited") {
    const stale = invitedAt + days(7) < calendar.now.getTime();
    if (stale && random.chance(0.5)) {
      link.resentAt = calendar.at(random.int(1, Math.min(6, invitedDay - 1)), random.between(8, 21));
      link.invitationExpiresAt = link.resentAt + days(7);
    }
    link.invitationTokenHash = sha256Hex(random.token());
  } else if (scenario === "cancelled") {
    end("cancelled", "patient", Math.min(invitedAt + hours(random.between(2, 120)), yesterdayEvening), patient.member);
  } else {
    link.acceptedAt = Math.min(invitedAt + hours(random.between(0.3, 72)), yesterdayEvening - hours(1));
    move("accepted", "supporter");
    const decidedAt = Math.min(link.acceptedAt + hours(random.between(2, 96)), yesterdayEvening);
    if (scenario === "refused") {
      const decider = careTeam();
      link.decidedAt = decidedAt;
      link.decidedBy = decider;
      if (random.chance(0.25)) link.safetyNote = random.pick(safetyNotes);
      else link.refusalReason = random.pick(refusalReasons);
      end("refused", "care_team", decidedAt, decider);
    } else if (scenario === "revoked" && random.chance(0.1)) {
      // Withdrawn while still waiting for the care team.
      end("revoked", "patient", Math.min(link.acceptedAt + hours(random.between(1, 40)), decidedAt), patient.member);
    } else if (scenario !== "accepted") {
      link.decidedAt = decidedAt;
      link.decidedBy = careTeam();
      link.approvedAt = decidedAt;
      move("active", "care_team");
    }
  }
  const consentTimes = planConsentTimes(random, calendar, link);
  if (link.status === "active" && scenario === "revoked") {
    const ender = random.weighted([
      ["patient", 50],
      ["supporter", 30],
      ["care_team", 20],
    ] as const);
    if (ender === "care_team" && random.chance(0.3)) link.safetyNote = random.pick(safetyNotes);
    // The supporter's membership is known once accounts are given out; `endedBy` is filled in then.
    end("revoked", ender, consentTimes.endAt!, ender === "patient" ? patient.member : ender === "care_team" ? careTeam() : null);
  }
  if (scenario === "expired") {
    end("expired", "system", consentTimes.endAt!, null);
    link.liveUntil = calendar.at(consentTimes.expiredDay! - 1, 0);
  }
  link.consents = planConsents(random, calendar, link, consentTimes);
  checkFinalState(calendar, link);
  return link;
}

type ConsentTimes = { signedAt: number[]; endAt: number | null; expiredDay: number | null };

/** When each consent version is signed, and when the last one ends (revoked or expired). */
function planConsentTimes(random: Random, calendar: ProgramCalendar, link: LinkPlan): ConsentTimes {
  const signedAt = [link.invitedAt];
  const yesterdayEvening = calendar.at(1, 21);
  if (link.scenario === "expired") {
    // A dated consent: it holds through its last day, and the next access after that expires the link.
    const approvedDay = calendar.daysAgoOf(link.approvedAt!);
    const expiredDay = random.int(2, approvedDay - 14);
    return { signedAt, endAt: calendar.at(expiredDay - 1, random.between(7, 21)), expiredDay };
  }
  let endAt: number | null = link.endedAt;
  if (link.status === "active" && link.scenario === "revoked") {
    const from = link.approvedAt! + days(3);
    endAt = from < yesterdayEvening ? random.between(from, yesterdayEvening) : yesterdayEvening;
  }
  if (link.status === "active") {
    const from = link.approvedAt! + days(7);
    const until = (endAt ?? yesterdayEvening) - days(1);
    const changes = random.chance(0.25) ? (random.chance(0.2) ? 2 : 1) : 0;
    if (until > from) {
      for (let i = 0; i < changes; i++) signedAt.push(random.between(from, until));
      signedAt.sort((a, b) => a - b);
    }
  }
  return { signedAt, endAt, expiredDay: null };
}

function planConsents(random: Random, calendar: ProgramCalendar, link: LinkPlan, times: ConsentTimes): ConsentPlan[] {
  const consents: ConsentPlan[] = [];
  const purpose = random.pick(purposes);
  times.signedAt.forEach((signedAt, i) => {
    const signedDay = calendar.daysAgoOf(signedAt);
    const endedAt = times.signedAt[i + 1] ?? link.endedAt;
    // A dated consent outlives the version or link that ends it; day 0 (today) for one still current.
    const lastNeededDay = endedAt === null ? 0 : calendar.daysAgoOf(endedAt);
    let expiresOn: string | null = null;
    if (times.expiredDay !== null) expiresOn = calendar.date(times.expiredDay);
    else if (random.chance(0.22)) expiresOn = calendar.date(Math.min(signedDay - 14, lastNeededDay) - random.int(0, 180));
    consents.push({
      id: "",
      version: i + 1,
      categories: i === 0 ? chooseCategories(random) : changeCategories(random, consents[i - 1]!.categories),
      purpose,
      expiryKind: expiresOn ? "date" : "episode_end",
      expiresOn,
      signedAt,
      endedAt,
    });
  });
  return consents;
}

/** The app's own expiry rule agrees with the story: lapsed by today exactly when the link expired. */
function checkFinalState(calendar: ProgramCalendar, link: LinkPlan) {
  const consent = currentConsent(link);
  const lapsed = consentLapsedAt(
    { expiryKind: consent.expiryKind, expiresOn: consent.expiresOn, episodeEndedAt: null, timeZone: calendar.timeZone },
    calendar.now,
  );
  const open = link.status === "accepted" || link.status === "active";
  if ((open && lapsed !== null) || (link.status === "expired" && lapsed === null)) {
    throw new Error(`Planned link ${link.scenario} disagrees with its consent's expiry (${consent.expiresOn})`);
  }
}

/**
 * Gives every invitee who accepted a link a supporter membership, from their first acceptance: a new
 * person signs up through that invitation; a patient of the program gains a second role.
 */
function giveInviteesAccounts(random: Random, links: LinkPlan[], people: PersonPlan[]): SupporterPlan[] {
  const supporters: SupporterPlan[] = [];
  const accepted = links.filter((link) => link.acceptedAt !== null).sort((a, b) => a.acceptedAt! - b.acceptedAt!);
  for (const link of accepted) {
    const invitee = link.invitee;
    if (!invitee.supporter) {
      if (!invitee.person) {
        invitee.person = person(random, invitee.email, link.acceptedAt!, link.acceptedAt!);
        invitee.signedUpBy = link;
        people.push(invitee.person);
      }
      invitee.supporter = {
        member: member(invitee.person, "supporter", invitee.name, link.acceptedAt!, link.acceptedAt!),
        links: [],
        habits: {
          visitRate: random.weighted([
            [0.01, 25],
            [0.03, 35],
            [0.07, 28],
            [0.15, 12],
          ]),
          replyRate: random.between(0, 0.35),
          diligence: random.between(0.2, 0.95),
        },
      };
      supporters.push(invitee.supporter);
    }
    link.supporter = invitee.supporter;
    invitee.supporter.links.push(link);
    if (link.endedAs === "supporter") link.endedBy = invitee.supporter.member;
  }
  return supporters;
}
