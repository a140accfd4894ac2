import type { checkInAudience, checkInReplies, digests, events, moduleAssignments } from "#db/schema";
import { linkEvents, type NewEvent } from "~/models/events.server";
import { defaultDelivery } from "~/models/notifications.server";
import { calendarDateIn } from "~/utils/dates";
import { newId } from "~/utils/crypto.server";
import type { MemberPlan, LinkPlan } from "./plan";

type EventRow = typeof events.$inferInsert;
type DigestRow = typeof digests.$inferInsert;

const hourMs = 3_600_000;
/** The digest goes out at 18:00: an event after it is told in the next day's. */
const afterDigestTimeMs = 6 * hourMs;

/**
 * The stream of events of the year, as the app's functions would have written it (what the homes' "what is
 * new" and the notifier read), each already decided for e-mail as the role's defaults say: told at once,
 * told in that evening's digest (whose `digests` row is written too), or not mailed. A server started on
 * the seeded program therefore mails no backlog of a year.
 */
export class YearOfEvents {
  private readonly digestIds = new Map<string, string>();
  private readonly periods = new Map<number, string>();
  private newDigests: DigestRow[] = [];

  constructor(
    private readonly programId: string,
    private readonly timeZone: string,
    private readonly links: ReadonlyMap<string, LinkPlan>,
  ) {}

  /** What each link's own history told the patient and the supporter: accepted, approved, ended. */
  ofLinks(links: readonly LinkPlan[]): EventRow[] {
    return links.flatMap((link) => {
      const facts = this.facts(link);
      const moves: [NewEvent[], number | null][] = [
        [linkEvents(facts, "accepted", "supporter"), link.acceptedAt],
        [linkEvents(facts, "active", "care_team"), link.approvedAt],
        [link.endedAs ? linkEvents(facts, link.status, link.endedAs) : [], link.endedAt],
      ];
      return moves.flatMap(([told, at]) => (at === null ? [] : told.map((event) => this.decided(event, at))));
    });
  }

  /** The events of shared check-ins, replies and asked modules among a chunk's rows. */
  ofRows(
    audience: readonly (typeof checkInAudience.$inferInsert)[],
    replies: readonly (typeof checkInReplies.$inferInsert)[],
    assignments: readonly (typeof moduleAssignments.$inferInsert)[],
  ): EventRow[] {
    const rows: EventRow[] = [];
    const add = (
      linkId: string,
      to: "patient" | "supporter",
      kind: NewEvent["kind"],
      subjectId: string,
      at: Date | undefined,
    ) => {
      const link = this.links.get(linkId)!;
      const facts = this.facts(link);
      const recipientId = to === "patient" ? facts.patientId : facts.supporterId;
      if (!recipientId || !at) return;
      rows.push(
        this.decided({ programId: this.programId, recipientId, kind, patientId: facts.patientId, linkId, subjectId }, +at),
      );
    };
    for (const row of audience) add(row.linkId, "supporter", "check_in_shared", row.checkInId, row.createdAt);
    for (const row of replies) add(row.linkId, "patient", "check_in_replied", row.checkInId, row.createdAt);
    for (const row of assignments) add(row.linkId, "supporter", "module_assigned", row.moduleId, row.createdAt);
    return rows;
  }

  /** The digests the events since the last call were told in. */
  takeDigests(): DigestRow[] {
    const taken = this.newDigests;
    this.newDigests = [];
    return taken;
  }

  private facts(link: LinkPlan) {
    return {
      id: link.id,
      programId: this.programId,
      patientId: link.patient.member.id,
      supporterId: link.supporter?.member.id ?? null,
    };
  }

  private decided(event: NewEvent, at: number): EventRow {
    const recipient = this.recipient(event);
    const delivery = defaultDelivery(recipient.role, event.kind);
    const row = {
      id: newId(),
      ...event,
      linkId: event.linkId ?? null,
      subjectId: event.subjectId ?? null,
      occurredAt: new Date(at),
      notice: delivery,
      digestId: null as string | null,
    };
    if (delivery === "digest") row.digestId = this.digestOf(recipient.person.id, at);
    return row;
  }

  private recipient(event: NewEvent): MemberPlan {
    const link = this.links.get(event.linkId!)!;
    return event.recipientId === link.patient.member.id ? link.patient.member : link.supporter!.member;
  }

  private digestOf(personId: string, at: number) {
    const hour = Math.floor((at + afterDigestTimeMs) / hourMs);
    let period = this.periods.get(hour);
    if (period === undefined) {
      period = calendarDateIn(this.timeZone, new Date(hour * hourMs));
      this.periods.set(hour, period);
    }
    const key = `${personId} ${period}`;
    let id = this.digestIds.get(key);
    if (id === undefined) {
      id = newId();
      this.digestIds.set(key, id);
      this.newDigests.push({ id, personId, period, createdAt: new Date(at) });
    }
    return id;
  }
}
