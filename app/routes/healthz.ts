import type { LoaderFunctionArgs } from "@remix-run/node";
import { sql } from "drizzle-orm";

/** Liveness with a real database round trip: 200 {"status":"ok"}, or 503 when the database cannot answer. */
export async function loader({ context }: LoaderFunctionArgs) {
  try {
    await context.db.get(sql`SELECT count(*) FROM programs`);
    return Response.json({ status: "ok" });
  } catch {
    return Response.json({ status: "unavailable" }, { status: 503 });
  }
}
