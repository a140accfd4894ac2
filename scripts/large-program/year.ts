import type {
  checkInAudience,
  checkIns,
  disclosureLog,
  learningRecords,
  learningSectionReads,
  moduleAssignments,
  quizAttempts,
  recoveryStarts,
  supportPlanAsks,
  supportPlanItems,
  QuizQuestion,
} from "#db/schema";
import { passMarkPercent } from "~/models/learning-status";
import { newId } from "~/utils/crypto.server";
import { supportNeeds } from "~/vocabulary";
import type { AuditTrail } from "./audit-trail";
import { days, hours, type ProgramCalendar } from "./calendar";
import { liveConsentAt, type LinkPlan, type PatientPlan, type SupporterPlan } from "./plan";
import type { Random } from "./random";
import { hardParts, helpRequests, planDetails, reflections, slipAccounts, wins } from "./texts";

/**
 * A patient's year as the app would have recorded it: check-ins (shared only with supporters whose
 * consent allowed `progress` at that moment), the recovery date, the support plan and who was asked,
 * the modules asked of supporters whose consent allowed `education`, and what those supporters learnt.
 */

export type LibraryModule = { id: string; position: number; versionId: string; sectionCount: number; quiz: QuizQuestion[] };

export type Rows = {
  checkIns: (typeof checkIns.$inferInsert)[];
  audience: (typeof checkInAudience.$inferInsert)[];
  recoveryStarts: (typeof recoveryStarts.$inferInsert)[];
  planItems: (typeof supportPlanItems.$inferInsert)[];
  planAsks: (typeof supportPlanAsks.$inferInsert)[];
  assignments: (typeof moduleAssignments.$inferInsert)[];
  learningRecords: (typeof learningRecords.$inferInsert)[];
  sectionReads: (typeof learningSectionReads.$inferInsert)[];
  quizAttempts: (typeof quizAttempts.$inferInsert)[];
  disclosures: (typeof disclosureLog.$inferInsert)[];
};

export function emptyRows(): Rows {
  return {
    checkIns: [],
    audience: [],
    recoveryStarts: [],
    planItems: [],
    planAsks: [],
    assignments: [],
    learningRecords: [],
    sectionReads: [],
    quizAttempts: [],
    disclosures: [],
  };
}

export type YearContext = {
  programId: string;
  random: Random;
  calendar: ProgramCalendar;
  audit: AuditTrail;
  library: LibraryModule[];
  /** Modules each supporter membership has started, across all the patients they support. */
  learningStarted: Map<string, Set<string>>;
  /** When each patient first set a recovery date (a supporter with `milestones` sees the count from then). */
  recoverySince: Map<string, number>;
};

const minutes = (count: number) => count * 60_000;
const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

export function writePatientYear(context: YearContext, patient: PatientPlan, rows: Rows) {
  const { random, calendar, audit } = context;
  const signedInOn = new Set<number>();
  const signIn = (day: number, at: number) => {
    if (signedInOn.has(day)) return;
    signedInOn.add(day);
    if (random.chance(0.02)) audit.signIn(at - minutes(3), patient.member.person, "failure");
    audit.signIn(at - minutes(random.between(1, 20)), patient.member.person);
  };
  for (const link of patient.links) for (const at of patientActions(link)) signIn(calendar.daysAgoOf(at), at);

  const firstDay = calendar.daysAgoOf(patient.member.activatedAt) - 1;
  let lastSlipDay: number | null = null;
  for (let day = firstDay; day >= 1; day--) {
    if (!random.chance(patient.habits.checkInRate)) {
      if (random.chance(patient.habits.browseRate)) signIn(day, calendar.at(day, random.between(8, 22)));
      continue;
    }
    const at = calendar.at(day, random.between(17, 22.5));
    const isSlip = random.chance(0.012);
    if (isSlip) lastSlipDay = day;
    writeCheckIn(context, patient, at, (firstDay - day) / firstDay, isSlip, rows);
    signIn(day, at);
  }
  writeRecoveryStart(context, patient, firstDay, lastSlipDay, rows, signIn);
  writeSupportPlan(context, patient, firstDay, rows, signIn);
  for (const link of patient.links) writeAssignments(context, link, rows);
}

/** The moments the patient acted on a link (each after a sign-in that day). */
function patientActions(link: LinkPlan) {
  const actions = [link.invitedAt, ...link.consents.slice(1).map((consent) => consent.signedAt)];
  if (link.resentAt !== null) actions.push(link.resentAt);
  if (link.endedAs === "patient" && link.endedAt !== null) actions.push(link.endedAt);
  return actions;
}

function writeCheckIn(context: YearContext, patient: PatientPlan, at: number, progress: number, isSlip: boolean, rows: Rows) {
  const { random } = context;
  const { habits } = patient;
  const id = newId();
  const mood = clamp(Math.round(habits.moodBase + habits.moodGain * progress + random.between(-1, 1) - (isSlip ? 1.2 : 0)), 1, 5);
  const craving = clamp(Math.round(habits.cravingBase * (1 - 0.5 * progress) + random.between(-2, 2) + (isSlip ? 2 : 0)), 0, 10);
  rows.checkIns.push({
    id,
    programId: context.programId,
    patientId: patient.member.id,
    kind: isSlip ? "slip" : "check_in",
    mood: random.chance(0.05) ? null : mood,
    craving: random.chance(0.05) ? null : craving,
    wins: isSlip ? null : random.pick(wins),
    hard: isSlip ? random.pick(slipAccounts) : random.pick(hardParts),
    helpRequest: random.chance(0.08) ? random.pick(helpRequests) : null,
    sharedWithCareTeam: random.chance(0.9),
    createdAt: new Date(at),
    updatedAt: new Date(at),
  });
  if (random.chance(patient.habits.privateRate)) return;
  for (const link of patient.links) {
    // Only supporters whose consent allows `progress` right now may be in the audience.
    if (!liveConsentAt(link, at)?.categories.includes("progress") || !random.chance(link.affinity)) continue;
    rows.audience.push({ checkInId: id, linkId: link.id, createdAt: new Date(at) });
    link.shared.push({ at, checkInId: id, kind: isSlip ? "slip" : "check_in" });
  }
}

function writeRecoveryStart(
  context: YearContext,
  patient: PatientPlan,
  firstDay: number,
  lastSlipDay: number | null,
  rows: Rows,
  signIn: (day: number, at: number) => void,
) {
  const { random, calendar } = context;
  if (!random.chance(0.75)) return;
  // The date they count from, set on or after that date.
  const startDay = random.int(firstDay - 60, firstDay + 30);
  const setDay = clamp(Math.min(startDay, firstDay) - random.int(0, 3), 1, firstDay);
  const setAt = calendar.at(setDay, random.between(8, 22));
  context.recoverySince.set(patient.member.id, setAt);
  signIn(setDay, setAt);
  // After a slip since then, some start counting again from the next day.
  const resetDay =
    lastSlipDay !== null && lastSlipDay - 1 < setDay && lastSlipDay > 1 && random.chance(0.5) ? lastSlipDay - 1 : null;
  const updatedAt = resetDay === null ? setAt : calendar.at(resetDay, random.between(8, 22));
  if (resetDay !== null) signIn(resetDay, updatedAt);
  rows.recoveryStarts.push({
    patientId: patient.member.id,
    programId: context.programId,
    startDate: calendar.date(resetDay ?? startDay),
    updatedAt: new Date(updatedAt),
  });
}

/** A few needs in the plan, each asked of supporters who were approved at the time; some answered. */
function writeSupportPlan(
  context: YearContext,
  patient: PatientPlan,
  firstDay: number,
  rows: Rows,
  signIn: (day: number, at: number) => void,
) {
  const { random, calendar } = context;
  const count = random.weighted([
    [0, 25],
    [1, 30],
    [2, 25],
    [3, 12],
    [4, 8],
  ]);
  const now = calendar.now.getTime();
  for (const need of random.sample(supportNeeds, count)) {
    const day = random.int(1, Math.max(1, firstDay - 7));
    const createdAt = calendar.at(day, random.between(8, 22));
    signIn(day, createdAt);
    const id = newId();
    rows.planItems.push({
      id,
      programId: context.programId,
      patientId: patient.member.id,
      need,
      details: random.pick(planDetails),
      createdAt: new Date(createdAt),
    });
    const askable = patient.links.filter((link) => liveConsentAt(link, createdAt) !== null);
    for (const link of random.sample(askable, random.int(0, Math.min(2, askable.length)))) {
      const answer = random.weighted([
        ["accepted", 60],
        ["declined", 15],
        ["asked", 25],
      ] as const);
      const respondedAt = createdAt + hours(random.between(2, 72));
      // The supporter answers on a live link only (and not in the future).
      const answered = answer !== "asked" && respondedAt < now && liveConsentAt(link, respondedAt) !== null;
      rows.planAsks.push({
        itemId: id,
        linkId: link.id,
        status: answered ? answer : "asked",
        askedAt: new Date(createdAt),
        respondedAt: answered ? new Date(respondedAt) : null,
      });
      link.asks.push({ itemId: id, askedAt: createdAt });
    }
  }
}

/**
 * Modules the therapist asks of (or the patient suggests to) a supporter, each at a moment when the
 * link's consent allowed `education`; then the supporter's own learning of each module they take up.
 */
function writeAssignments(context: YearContext, link: LinkPlan, rows: Rows) {
  const { random, calendar, audit, library } = context;
  if (link.approvedAt === null || !link.supporter) return;
  const wanted = random.weighted([
    [0, 30],
    [1, 25],
    [2, 22],
    [3, 15],
    [4, 8],
  ]);
  const until = Math.min(link.liveUntil, calendar.at(1, 20));
  const assigned = new Set<string>();
  for (let attempt = 0; attempt < wanted * 3 && assigned.size < wanted; attempt++) {
    const at = random.between(link.approvedAt, until);
    if (!(at > link.approvedAt) || !liveConsentAt(link, at)?.categories.includes("education")) continue;
    // Earlier modules in the library are asked for more often.
    const module = library[Math.floor(library.length * random.next() ** 1.6)]!;
    if (assigned.has(module.id)) continue;
    assigned.add(module.id);
    const byTherapist = random.chance(0.8);
    const assigner = byTherapist ? link.patient.therapist : link.patient.member;
    const id = newId();
    rows.assignments.push({
      id,
      programId: context.programId,
      moduleId: module.id,
      linkId: link.id,
      assignedBy: assigner.id,
      assignedByRole: byTherapist ? "therapist" : "patient",
      dueOn: byTherapist && random.chance(0.75) ? calendar.date(calendar.daysAgoOf(at) - random.int(7, 28)) : null,
      createdAt: new Date(at),
    });
    audit.add(at, "learning.assigned", assigner, { type: "circle_link", id: link.id });
    link.assignments.push({ id, moduleId: module.id, createdAt: at, byTherapist });
    writeLearning(context, link.supporter, module, at, byTherapist, rows);
  }
}

/** The supporter reads sections in order over some days, then takes the knowledge check until they pass (or stop). */
function writeLearning(
  context: YearContext,
  supporter: SupporterPlan,
  module: LibraryModule,
  assignedAt: number,
  byTherapist: boolean,
  rows: Rows,
) {
  const { random, calendar } = context;
  const started = context.learningStarted.get(supporter.member.id) ?? new Set<string>();
  context.learningStarted.set(supporter.member.id, started);
  const { diligence } = supporter.habits;
  if (started.has(module.id) || !random.chance(diligence)) return;
  started.add(module.id);
  const now = calendar.now.getTime() - hours(1);
  let at = assignedAt + hours(random.between(2, 240));
  if (at >= now) return;
  const recordId = newId();
  const record: typeof learningRecords.$inferInsert = {
    id: recordId,
    userId: supporter.member.id,
    moduleId: module.id,
    versionId: module.versionId,
    startedAt: new Date(at),
    completedAt: null,
    practiceDoneAt: null,
    reflection: null,
    reflectionShared: false,
    reflectionUpdatedAt: null,
  };
  rows.learningRecords.push(record);
  const sectionsToRead = random.chance(diligence) ? module.sectionCount : random.int(1, module.sectionCount);
  for (let section = 0; section < sectionsToRead && at < now; section++) {
    rows.sectionReads.push({ recordId, section, readAt: new Date(at) });
    at += random.chance(0.6) ? minutes(random.between(3, 15)) : days(random.between(0.5, 3));
  }
  if (sectionsToRead < module.sectionCount) return;
  for (let attempt = 0; attempt < 3 && at < now; attempt++) {
    const passes = random.chance(0.65);
    const answers = answerQuiz(random, module.quiz, passes);
    const correct = module.quiz.filter((question) => answers[question.id] === question.answer).length;
    const scorePercent = Math.round((correct / module.quiz.length) * 100);
    const passed = scorePercent >= passMarkPercent;
    rows.quizAttempts.push({
      id: newId(),
      recordId,
      answers,
      correct,
      total: module.quiz.length,
      scorePercent,
      passed,
      createdAt: new Date(at),
    });
    if (passed) {
      record.completedAt = new Date(at);
      break;
    }
    if (!random.chance(diligence)) return;
    at += days(random.between(0.2, 4));
  }
  if (!record.completedAt) return;
  const completedAt = record.completedAt.getTime();
  if (random.chance(0.35)) {
    record.reflection = random.pick(reflections);
    // Shared with the therapist only when a therapist asked for the module.
    record.reflectionShared = byTherapist && random.chance(0.6);
    record.reflectionUpdatedAt = new Date(completedAt + minutes(random.between(2, 30)));
  }
  const practiceAt = completedAt + days(random.between(1, 7));
  if (random.chance(0.4) && practiceAt < now) record.practiceDoneAt = new Date(practiceAt);
}

/** Answers that pass (all right, or all but one when that still makes the mark) or fail. */
function answerQuiz(random: Random, quiz: QuizQuestion[], passes: boolean): Record<string, string> {
  const wrongAllowed = passes ? Math.floor(quiz.length * (1 - passMarkPercent / 100)) : quiz.length;
  const wrongCount = passes ? random.int(0, wrongAllowed) : random.int(Math.max(1, wrongAllowed + 1), quiz.length);
  const wrong = new Set(random.sample(quiz, Math.min(wrongCount, quiz.length)).map((question) => question.id));
  return Object.fromEntries(
    quiz.map((question) => {
      const options = wrong.has(question.id) ? question.options.filter((option) => option.id !== question.answer) : [];
      return [question.id, options.length > 0 ? random.pick(options).id : question.answer];
    }),
  );
}
