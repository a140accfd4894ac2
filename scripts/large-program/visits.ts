import type { checkInReplies } from "#db/schema";
import type { ReleasedItem } from "~/models/access.server";
import { checkInPageSize } from "~/models/check-in.server";
import { trendSince } from "~/models/trends";
import { newId } from "~/utils/crypto.server";
import { replyPresets, type SharingCategory } from "~/vocabulary";
import type { AuditTrail } from "./audit-trail";
import type { ProgramCalendar } from "./calendar";
import { liveConsentAt, type ConsentPlan, type LinkPlan, type SharedItem, type SupporterPlan } from "./plan";
import type { Random } from "./random";
import { replyMessages } from "./texts";
import type { Rows } from "./year";

/**
 * A supporter's visits over the year, and what each one released to them, written to the accounting of
 * disclosures as app/models/access.server.ts writes it: one row per consent version, item and day, with
 * the times it was shown that day. A visit shows only what the consent in force at that moment allowed:
 * the home page names each live circle; the updates feed shows the newest check-ins shared under live
 * `progress` consents; a patient's page, their milestones and trend; the learning page, the modules asked
 * under `education`; the support-plan page, what patients asked of them. Replies are written from the feed.
 */

export type VisitContext = {
  programId: string;
  random: Random;
  calendar: ProgramCalendar;
  audit: AuditTrail;
  recoverySince: Map<string, number>;
};

type Live = { link: LinkPlan; consent: ConsentPlan };
type Shown = { live: Live; category: SharingCategory | null; itemType: ReleasedItem; itemId: string };

const minutes = (count: number) => count * 60_000;

export function writeSupporterVisits(
  context: VisitContext,
  supporter: SupporterPlan,
  rows: Rows,
  replies: (typeof checkInReplies.$inferInsert)[],
) {
  const { random, calendar, audit } = context;
  const approved = supporter.links.filter((link) => link.approvedAt !== null);
  if (approved.length === 0) return;
  const replied = new Set<string>();
  const firstDay = calendar.daysAgoOf(Math.min(...approved.map((link) => link.approvedAt!)));
  for (let day = firstDay; day >= 1; day--) {
    if (!random.chance(supporter.habits.visitRate)) continue;
    const at = calendar.at(day, random.between(7, 22));
    const live = approved.flatMap((link) => {
      const consent = liveConsentAt(link, at);
      return consent ? [{ link, consent }] : [];
    });
    if (live.length === 0) continue;
    audit.signIn(at - minutes(random.between(1, 5)), supporter.member.person);
    const shown: Shown[] = live.map((entry) => ({ live: entry, category: null, itemType: "circle_list", itemId: entry.link.id }));
    const allowing = (category: SharingCategory) => live.filter((entry) => entry.consent.categories.includes(category));

    if (allowing("progress").length > 0 && random.chance(0.75)) {
      for (const { live: entry, item } of feedPage(allowing("progress"), at)) {
        shown.push({ live: entry, category: "progress", itemType: item.kind, itemId: item.checkInId });
        const replyAt = at + minutes(random.between(1, 4));
        if (
          item.at >= at - 3 * 86_400_000 &&
          !replied.has(item.checkInId) &&
          liveConsentAt(entry.link, replyAt)?.categories.includes("progress") &&
          random.chance(supporter.habits.replyRate)
        ) {
          replied.add(item.checkInId);
          const byPreset = random.chance(0.7);
          replies.push({
            id: newId(),
            checkInId: item.checkInId,
            linkId: entry.link.id,
            supporterId: supporter.member.id,
            preset: byPreset ? random.pick(replyPresets) : null,
            message: byPreset ? null : random.pick(replyMessages),
            createdAt: new Date(replyAt),
          });
        }
      }
    }
    if (random.chance(0.5)) shown.push(...patientPage(context, random.pick(live), at));
    if (random.chance(0.3)) {
      for (const entry of allowing("education")) {
        for (const assignment of entry.link.assignments) {
          if (assignment.createdAt <= at)
            shown.push({ live: entry, category: "education", itemType: "module_assignment", itemId: assignment.id });
        }
      }
    }
    if (random.chance(0.2)) {
      for (const entry of live) {
        for (const ask of entry.link.asks) {
          if (ask.askedAt <= at) shown.push({ live: entry, category: null, itemType: "support_plan_item", itemId: ask.itemId });
        }
      }
    }

    // Pages seen again later that day count as more showings of the same rows, while the same consents hold.
    let showings = random.weighted([
      [1, 75],
      [2, 18],
      [3, 7],
    ]);
    let lastAt = at + (showings - 1) * minutes(random.between(3, 15));
    if (live.some((entry) => liveConsentAt(entry.link, lastAt) !== entry.consent)) [showings, lastAt] = [1, at];
    for (const { live: entry, category, itemType, itemId } of shown) {
      rows.disclosures.push({
        programId: context.programId,
        patientId: entry.link.patient.member.id,
        linkId: entry.link.id,
        consentId: entry.consent.id,
        kind: "disclosure",
        category,
        itemType,
        itemId,
        detail: null,
        actorUserId: supporter.member.id,
        occurredAt: new Date(at),
        day: calendar.date(day),
        count: showings,
        lastOccurredAt: new Date(lastAt),
      });
    }
  }
}

/** The first page of the updates feed at `at`: the newest check-ins shared with these links, newest first. */
function feedPage(entries: Live[], at: number) {
  const candidates = entries.flatMap((entry) => {
    const upTo = sharedUpTo(entry.link.shared, at);
    return entry.link.shared.slice(Math.max(0, upTo - checkInPageSize), upTo).map((item) => ({ live: entry, item }));
  });
  return candidates
    .sort((a, b) => b.item.at - a.item.at || (b.item.checkInId < a.item.checkInId ? -1 : 1))
    .slice(0, checkInPageSize);
}

/** How many of a link's shared items (in time order) were shared by `at`. */
function sharedUpTo(shared: SharedItem[], at: number) {
  let low = 0;
  let high = shared.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (shared[middle]!.at <= at) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** One patient's page: the program week and recovery days under `milestones`, the trend under `progress`. */
function patientPage(context: VisitContext, entry: Live, at: number): Shown[] {
  const { link, consent } = entry;
  const patientId = link.patient.member.id;
  const shown: Shown[] = [];
  if (consent.categories.includes("milestones")) {
    shown.push({ live: entry, category: "milestones", itemType: "program_week", itemId: link.patient.episodeId });
    const recoverySince = context.recoverySince.get(patientId);
    if (recoverySince !== undefined && recoverySince <= at) {
      shown.push({ live: entry, category: "milestones", itemType: "recovery_days", itemId: patientId });
    }
  }
  if (consent.categories.includes("progress")) {
    const since = trendSince(new Date(at)).getTime();
    const upTo = sharedUpTo(link.shared, at);
    if (upTo > 0 && link.shared[upTo - 1]!.at >= since) {
      shown.push({ live: entry, category: "progress", itemType: "trend", itemId: patientId });
    }
  }
  return shown;
}
