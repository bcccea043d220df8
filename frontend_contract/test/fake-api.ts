/**
 * A fake of the CMS for the tests: `fetch` answering from a table of canned responses (the
 * committed examples, mostly), recording every request. No network.
 */
import { createSituationDeskClient, type SituationDeskClient } from "../src/client";

export const ORIGIN = "http://cms.test";

export type Route = (url: URL) => { status: number; body: unknown } | undefined;

export interface FakeApi {
  api: SituationDeskClient;
  requests: URL[];
}

/** `routes` are tried in order; the first that answers wins; none answering is a 404. */
export function fakeApi(...routes: Route[]): FakeApi {
  const requests: URL[] = [];
  const fetch = async (input: Request | string | URL): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    requests.push(url);
    for (const route of routes) {
      const found = route(url);
      if (found) {
        return new Response(JSON.stringify(found.body), {
          status: found.status,
          headers: { "Content-Type": "application/json" },
        });
      }
    }
    return new Response(JSON.stringify({ message: "Not found", status: 404 }), {
      status: 404,
      headers: { "Content-Type": "application/json" },
    });
  };
  return { api: createSituationDeskClient(ORIGIN, { fetch }), requests };
}

/** Answers `path` (and, if given, only when every `query` parameter matches). */
export function on(
  path: string,
  body: unknown,
  options: { status?: number; query?: Record<string, string> } = {},
): Route {
  return (url) => {
    if (url.pathname !== path) return undefined;
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (url.searchParams.get(name) !== value) return undefined;
    }
    return { status: options.status ?? 200, body };
  };
}
