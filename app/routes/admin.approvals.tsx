import type { MetaFunction } from "@remix-run/node";
import { ApprovalQueuePage } from "~/components/approval-queue";
import { approvalQueueRoute } from "~/forms/decision.server";

export const meta: MetaFunction = () => [{ title: "Requests to join · Care Circle" }];

const route = approvalQueueRoute("program:decide-circle", "/admin/approvals");
export const loader = route.loader;
export const action = route.action;
export default ApprovalQueuePage;
