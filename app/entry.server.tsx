import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { NonceProvider } from "~/components/nonce";
import "~/load-context";

const streamTimeout = 5_000;

/**
 * Renders the whole page, then answers it in one piece. No page streams deferred data, so streaming bought
 * nothing but a write (and a compression step) per chunk React emits; one buffer is written and
 * compressed once (docs/decisions/024-compression-and-static-files.md).
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce;
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={streamTimeout} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        onShellReady() {
          shellRendered = true;
        },
        onAllReady() {
          const chunks: Buffer[] = [];
          const body = new PassThrough();
          body.on("data", (chunk: Buffer) => chunks.push(chunk));
          body.on("end", () => {
            responseHeaders.set("Content-Type", "text/html; charset=utf-8");
            resolve(new Response(Buffer.concat(chunks), { headers: responseHeaders, status: responseStatusCode }));
          });
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error instanceof Error ? error : new Error("The page shell could not be rendered"));
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error("Render error", error instanceof Error ? error.message : "unknown");
        },
      },
    );
    setTimeout(abort, streamTimeout + 1_000);
  });
}

/** Server-side errors are logged by kind only: messages can hold user input. */
export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted || isRouteErrorResponse(error)) return;
  console.error(
    "Request failed:",
    error instanceof Error ? `${error.name}: ${error.message.split("\n")[0]?.slice(0, 200)}` : "unknown error",
  );
}

/** The server's start-up, reached through the build so that the process loads the app once. */
export { prepareToServe } from "~/startup.server";
