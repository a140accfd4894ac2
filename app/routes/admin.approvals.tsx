import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { ApprovalQueuePage } from "~/components/approval-queue";
import { approvalQueueAction, approvalQueueLoader } from "~/forms/decision.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.requestsToJoin");

// Real functions, not values computed at module scope: Remix strips them (and their .server
// imports) from the browser bundle only when they are declared as exports.
export async function loader(args: LoaderFunctionArgs) {
  return approvalQueueLoader(args, "program:decide-circle");
}

export async function action(args: ActionFunctionArgs) {
  return approvalQueueAction(args, "program:decide-circle", "/admin/approvals");
}

export default ApprovalQueuePage;
