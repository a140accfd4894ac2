import type { MetaFunction } from "@remix-run/react";

export const meta: MetaFunction = () => [{ title: "Floor · Care Circle bench" }];

/** A page with no loader, no session and no database: what Remix and Express cost on their own. */
export default function Index() {
  return (
    <main>
      <h1>Floor</h1>
      <p>The bare Remix page the benchmark measures Care Circle against.</p>
    </main>
  );
}
