/** The starter's routes and HTML, against the committed examples and a fake fetch. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import articleEn from "../examples/article-en.json";
import homeRu from "../examples/home-ru.json";
import topicsBe from "../examples/topics-be.json";
import articlesBe from "../examples/articles-be-with-fallback.json";
import weekBe from "../examples/week-be-with-fallback.json";
import type { ArticlePage, BodyBlock } from "../src/client";
import { createStarter } from "../starter/app";
import { fakeApi, on } from "./fake-api";

const FRONTEND = "http://localhost:3000";
const get = (handle: ReturnType<typeof createStarter>, path: string) => handle(new URL(path, FRONTEND));

const english = articleEn as unknown as ArticlePage;
const image = english.photo;
assert.ok(image);

/** The example article with one block of every type the contract has that it lacks. */
const everyBlock: ArticlePage = {
  ...english,
  title: "Borders <script>alert(1)</script> & walls",
  body: [
    ...english.body,
    { type: "image", id: "i1", value: { image, caption: "A checkpoint <at dusk>", credit: image.credit } },
    {
      type: "embed",
      id: "e1",
      value: {
        url: "https://www.youtube.com/watch?v=abc",
        html: '<iframe src="https://www.youtube.com/embed/abc" title="Video"></iframe>',
        provider: "YouTube",
        title: "Video",
        width: 480,
        height: 270,
        caption: "Press conference",
      },
    },
    { type: "embed", id: "e2", value: { url: "javascript:alert(1)", html: null, provider: null, title: null, width: null, height: null, caption: "" } },
    {
      type: "table",
      id: "t1",
      value: {
        caption: "Crossings",
        first_row_is_header: true,
        first_col_is_header: true,
        rows: [["Border", "Attempts"], ["Latvia", "256"], ["Poland <b>", "1,000"]],
      },
    },
  ] satisfies BodyBlock[],
};

describe("the article page", () => {
  const { api } = fakeApi(on("/api/v2/pages/find/", everyBlock));
  const handle = createStarter({ api });

  it("renders every body block type of the contract", async () => {
    const answer = await get(handle, everyBlock.meta.path ?? "/");
    assert.equal(answer.status, 200);
    for (const type of ["paragraph", "heading", "quote", "image", "embed", "table", "key_figures"]) {
      assert.match(answer.body, new RegExp(`data-block="${type}"`), type);
    }
    assert.match(answer.body, /<th scope="col">Border<\/th>/);
    assert.match(answer.body, /<th scope="row">Latvia<\/th><td>256<\/td>/);
    assert.match(answer.body, /<iframe src="https:\/\/www.youtube.com\/embed\/abc"/);
    assert.match(answer.body, /<source type="image\/webp" srcset="[^"]+ 480w/);
    assert.match(answer.body, /<dt>256<\/dt>/);
  });

  it("escapes every text and inserts only the API's sanitized HTML as markup", async () => {
    const answer = await get(handle, everyBlock.meta.path ?? "/");
    assert.doesNotMatch(answer.body, /<script>/);
    assert.match(answer.body, /Borders &lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; walls/);
    assert.match(answer.body, /A checkpoint &lt;at dusk&gt;/);
    assert.match(answer.body, /Poland &lt;b&gt;/);
    assert.doesNotMatch(answer.body, /href="javascript:/);
    assert.match(answer.body, /<a href="https:\/\/president.gov.by\/" rel="noopener noreferrer">presidential website<\/a>/);
  });

  it("is a page in the article's language, with its switch and security headers", async () => {
    const answer = await get(handle, everyBlock.meta.path ?? "/");
    assert.match(answer.body, /<html lang="en">/);
    assert.match(answer.body, /data-locale="ru" data-status="live" lang="ru" hreflang="ru" href="\/ru\/situaciya-v-belarusi\//);
    assert.equal(answer.headers["Content-Type"], "text/html; charset=utf-8");
    assert.match(answer.headers["Content-Security-Policy"] ?? "", /default-src 'none'/);
  });

  it("redirects a path without its trailing slash to the page's path", async () => {
    const path = everyBlock.meta.path ?? "/";
    const answer = await get(handle, path.slice(0, -1));
    assert.equal(answer.status, 301);
    assert.equal(answer.headers.Location, path);
  });
});

describe("the BE/RU edition", () => {
  const { api } = fakeApi(
    on("/api/v2/pages/find/", weekBe),
    on("/api/v2/topics/", topicsBe, { query: { locale: "be" } }),
  );
  const handle = createStarter({ api });

  it("badges the Russian article of a Belarusian week, in Belarusian", async () => {
    const answer = await get(handle, weekBe.meta.path);
    assert.equal(answer.status, 200);
    const badges = [...answer.body.matchAll(/class="fallback-badge" data-served-locale="(\w+)"[^>]*>([^<]+)</g)];
    assert.deepEqual(badges.map((match) => [match[1], match[2]]), [["ru", "Па-руску"]]);
    assert.match(answer.body, /<li class="article-summary" data-id="141" lang="ru">/);
    assert.match(answer.body, /<html lang="be">/);
  });

  it("lists the edition's topics, linking to their archives", async () => {
    const answer = await get(handle, weekBe.meta.path);
    const first = topicsBe.items[0];
    assert.ok(first);
    assert.ok(answer.body.includes(`<a href="/be/topics/${first.slug}/">${first.name}</a>`));
  });
});

describe("the home page", () => {
  it("shows the latest week with its articles", async () => {
    const { api } = fakeApi(on("/api/v2/pages/find/", homeRu, { query: { html_path: "/ru/" } }));
    const answer = await get(createStarter({ api }), "/ru/");
    assert.equal(answer.status, 200);
    const week = homeRu.latest_week;
    assert.ok(week);
    assert.ok(answer.body.includes(`class="week-title" href="${week.meta.path}"`));
    assert.equal(answer.body.match(/class="article-summary"/g)?.length, week.articles.length);
  });
});

describe("the topic archive", () => {
  it("lists the topic's articles in the edition, paginated", async () => {
    const { api, requests } = fakeApi(
      on("/api/v2/topics/", { meta: { total_count: 1 }, items: [topicsBe.items[0]] }, { query: { slug: "security-issues" } }),
      on("/api/v2/pages/", { ...articlesBe, meta: { total_count: 25 } }, { query: { type: "digest.ArticlePage" } }),
    );
    const answer = await get(createStarter({ api }), "/be/topics/security-issues/?page=2");
    assert.equal(answer.status, 200);
    const listing = requests.find((url) => url.searchParams.get("type") === "digest.ArticlePage");
    assert.equal(listing?.searchParams.get("locale"), "be");
    assert.equal(listing?.searchParams.get("topic"), "security-issues");
    assert.equal(listing?.searchParams.get("offset"), "10");
    assert.match(answer.body, /Старонка 2 з 3/);
    assert.match(answer.body, /rel="prev" href="\/be\/topics\/security-issues\/"/);
    assert.match(answer.body, /rel="next" href="\/be\/topics\/security-issues\/\?page=3"/);
    assert.match(answer.body, /data-locale="ru" data-status="live" lang="ru" hreflang="ru" href="\/ru\/topics\/security-issues\/"/);
  });

  it("is a 404 for a topic the API does not know, or a page past the end", async () => {
    const { api } = fakeApi(
      on("/api/v2/pages/", { message: "unknown topic", status: 400 }, { status: 400, query: { topic: "nope" } }),
      on("/api/v2/topics/", { meta: { total_count: 0 }, items: [] }, { query: { slug: "nope" } }),
    );
    assert.equal((await get(createStarter({ api }), "/topics/nope/")).status, 404);
    const known = fakeApi(
      on("/api/v2/topics/", { meta: { total_count: 1 }, items: [topicsBe.items[0]] }),
      on("/api/v2/pages/", { meta: { total_count: 3 }, items: [] }),
    );
    assert.equal((await get(createStarter({ api: known.api }), "/be/topics/security-issues/?page=2")).status, 404);
    assert.equal((await get(createStarter({ api: known.api }), "/be/topics/security-issues/?page=x")).status, 404);
  });
});

describe("unknown paths and redirects", () => {
  it("answers 404 with a proper page in the path's language", async () => {
    const { api } = fakeApi();
    const answer = await get(createStarter({ api }), "/be/niama-takoj/");
    assert.equal(answer.status, 404);
    assert.match(answer.body, /<html lang="be">/);
    assert.match(answer.body, /<h1>Старонка не знойдзена<\/h1>/);
  });

  it("follows the CMS's redirects", async () => {
    const { api } = fakeApi(
      on("/api/v2/redirects/find/", { old_path: "/old", is_permanent: false, location: "/situation-in-belarus/" }),
    );
    const answer = await get(createStarter({ api }), "/old/");
    assert.equal(answer.status, 302);
    assert.equal(answer.headers.Location, "/situation-in-belarus/");
  });

  it("says the content is unavailable when the API is down", async () => {
    const { api } = fakeApi(on("/api/v2/pages/find/", { message: "down", status: 503 }, { status: 503 }));
    const answer = await get(createStarter({ api }), "/ru/");
    assert.equal(answer.status, 503);
    assert.match(answer.body, /Временно недоступно/);
  });
});

describe("the preview route", () => {
  it("renders the draft like the live page, marked, never cached", async () => {
    const { api, requests } = fakeApi(on("/api/v2/page_preview/", everyBlock));
    const answer = await get(createStarter({ api }), "/preview?content_type=digest.articlepage&token=t%3A1");
    assert.equal(answer.status, 200);
    assert.equal(requests[0]?.searchParams.get("token"), "t:1");
    assert.match(answer.body, /class="preview-banner"/);
    assert.match(answer.body, /<meta name="robots" content="noindex, nofollow">/);
    assert.match(answer.body, /data-block="key_figures"/);
    assert.equal(answer.headers["Cache-Control"], "private, no-store");
  });

  it("says why a refused token shows nothing", async () => {
    const { api } = fakeApi(
      on("/api/v2/page_preview/", { message: "outdated", status: 404, code: "outdated" }, { status: 404 }),
    );
    const answer = await get(createStarter({ api }), "/preview/?content_type=digest.articlepage&token=t");
    assert.equal(answer.status, 404);
    assert.match(answer.body, /data-code="outdated"/);
    assert.equal(answer.headers["Cache-Control"], "private, no-store");
  });
});
