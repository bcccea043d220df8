/**
 * The starter frontend's server: node:http around the routes of ./app.ts.
 *
 *   node starter/dist/server.js --api http://127.0.0.1:8000 --listen http://localhost:3000
 *
 * `--api` is the CMS's address (its API is at /api/v2/), `--listen` the frontend's own
 * (FRONTEND_BASE_URL; port 0 picks a free one), `--page-size` the weeks or articles per archive
 * page (10). The first line on stdout says where it listens.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";

import { createSituationDeskClient } from "../src/client";
import { createStarter } from "./app";

const { values } = parseArgs({
  options: {
    api: { type: "string", default: process.env.SITUATION_DESK_API ?? "http://127.0.0.1:8000" },
    listen: { type: "string", default: process.env.FRONTEND_BASE_URL ?? "http://localhost:3000" },
    "page-size": { type: "string", default: "10" },
  },
});
const listen = new URL(values.listen);
const pageSize = Number(values["page-size"]);
if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
  throw new Error(`--page-size must be a whole number from 1 to 100, not ${values["page-size"]}`);
}
const handle = createStarter({ api: createSituationDeskClient(values.api), pageSize });

const server = createServer((request, response) => {
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.writeHead(405, { Allow: "GET, HEAD", "Content-Type": "text/plain" });
    response.end("Method not allowed\n");
    return;
  }
  const url = new URL(request.url ?? "/", listen);
  handle(url).then(
    (answer) => {
      response.writeHead(answer.status, answer.headers);
      response.end(request.method === "HEAD" ? undefined : answer.body);
    },
    (error: unknown) => {
      console.error(error);
      response.writeHead(500, { "Content-Type": "text/plain" });
      response.end("Internal error\n");
    },
  );
});

server.listen(Number(listen.port || 80), listen.hostname.replace(/^\[|\]$/g, ""), () => {
  const { port } = server.address() as AddressInfo;
  const origin = `${listen.protocol}//${listen.hostname}:${port}`;
  console.log(`Starter frontend on ${origin}/ (API: ${values.api})`);
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
