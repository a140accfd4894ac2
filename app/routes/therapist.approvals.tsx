import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { ApprovalQueuePage } from "~/components/approval-queue";
import { approvalQueueAction, approvalQueueLoader } from "~/forms/decision.server";

export const meta: MetaFunction = () => [{ title: "Requests to join · Care Circle" }];

// Real functions, not values computed at module scope: Remix strips them (and their .server
// imports) from the browser bundle only when they are declared as exports.
export async function loader(args: LoaderFunctionArgs) {
  return approvalQueueLoader(args, "caseload:decide-circle");
}

export async function action(args: ActionFunctionArgs) {
  return approvalQueueAction(args, "caseload:decide-circle", "/therapist/approvals");
}

export default ApprovalQueuePage;
