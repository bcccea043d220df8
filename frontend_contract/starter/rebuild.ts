/**
 * An incremental static build's question, asked with the SDK alone: what changed since the
 * last build (the change feed), as JSON on stdout.
 *
 *   node starter/dist/rebuild.js --api http://127.0.0.1:8000
 *     → {"cursor": "42"}: where the feed stands; take it before a full build
 *   node starter/dist/rebuild.js --api http://127.0.0.1:8000 --since 42
 *     → {"kind": "changes", "cursor": "45", "rebuild": [...], "remove": [...], "changes": [...]}
 *       or {"kind": "full_rebuild", "message": "..."}
 *
 * A static generator renders `rebuild` (paths on the frontend), deletes `remove`, and keeps
 * `cursor` for next time. The starter itself renders on request and needs none of this.
 */
import { parseArgs } from "node:util";

import { createSituationDeskClient, currentCursor, planRebuild } from "../src/client";

const { values } = parseArgs({
  options: {
    api: { type: "string", default: process.env.SITUATION_DESK_API ?? "http://127.0.0.1:8000" },
    since: { type: "string" },
  },
});
const api = createSituationDeskClient(values.api);
const answer =
  values.since === undefined
    ? { cursor: await currentCursor(api) }
    : await planRebuild(api, values.since);
console.log(JSON.stringify(answer, null, 2));
