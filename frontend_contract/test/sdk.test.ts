/** The SDK against the committed example responses and a fake fetch. */
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, it } from "node:test";

import articleBe from "../examples/article-be.json";
import articleEn from "../examples/article-en.json";
import articleRu from "../examples/article-ru.json";
import articlesBeWithFallback from "../examples/articles-be-with-fallback.json";
import findArticleBe from "../examples/find-article-be.json";
import homeRu from "../examples/home-ru.json";
import weekBe from "../examples/week-be-with-fallback.json";
import {
  type ArticlePage,
  currentCursor,
  fallbackBadge,
  fetchPreview,
  findByPath,
  type HomePage,
  homePath,
  isArticle,
  isHome,
  languageSwitch,
  listingPaths,
  localeOfPath,
  type Page,
  type PageChange,
  type PageSummary,
  planRebuild,
  previewQuery,
  type ReportPage,
  resolveMissingLanguages,
  signWebhookBody,
  SituationDeskApiError,
  verifyWebhookSignature,
} from "../src/client";
import { fakeApi, on } from "./fake-api";

const article = articleBe as unknown as ArticlePage;
const week = weekBe as unknown as ReportPage;
const home = homeRu as unknown as HomePage;
const borrowed = week.articles.find((item) => item.meta.fallback);
assert.ok(borrowed, "the BE week example has a Russian article");

describe("paths", () => {
  it("reads the language from the path's prefix; English is unprefixed", () => {
    assert.equal(localeOfPath("/be/situacyja-u-bielarusi/"), "be");
    assert.equal(localeOfPath("/ru/"), "ru");
    assert.equal(localeOfPath("/situation-in-belarus/2023-09-11/"), "en");
    assert.equal(localeOfPath("/bel/"), "en");
    assert.deepEqual(["en", "be", "ru"].map((code) => homePath(code as "en")), ["/", "/be/", "/ru/"]);
  });
});

describe("findByPath", () => {
  const path = findArticleBe.meta.path;

  it("returns the page the API finds, narrowed by its type", async () => {
    const { api, requests } = fakeApi(on("/api/v2/pages/find/", findArticleBe, { query: { html_path: path } }));
    const found = await findByPath(api, path);
    assert.equal(found.kind, "page");
    assert.ok(found.kind === "page" && isArticle(found.page));
    assert.equal(found.page.meta.path, path);
    assert.equal(requests.length, 1);
  });

  it("passes fallback only when asked", async () => {
    const { api, requests } = fakeApi(on("/api/v2/pages/find/", homeRu));
    await findByPath(api, "/ru/", { fallback: false });
    await findByPath(api, "/ru/");
    assert.equal(requests[0]?.searchParams.get("fallback"), "false");
    assert.equal(requests[1]?.searchParams.has("fallback"), false);
  });

  it("asks for a redirect when no page is at the path", async () => {
    const { api, requests } = fakeApi(
      on("/api/v2/redirects/find/", {
        old_path: "/old",
        is_permanent: true,
        location: "http://localhost:3000/situation-in-belarus/",
      }),
    );
    const found = await findByPath(api, "/old/");
    assert.deepEqual(found, {
      kind: "redirect",
      location: "http://localhost:3000/situation-in-belarus/",
      permanent: true,
    });
    assert.deepEqual(requests.map((url) => url.pathname), ["/api/v2/pages/find/", "/api/v2/redirects/find/"]);
  });

  it("is not found when there is neither a page nor a redirect", async () => {
    const { api } = fakeApi();
    const found = await findByPath(api, "/nothing-here/");
    assert.equal(found.kind, "not_found");
  });

  it("is not found, without a redirect lookup, for a path the API refuses", async () => {
    const { api, requests } = fakeApi(
      on("/api/v2/pages/find/", { message: "html_path must be a path", status: 400 }, { status: 400 }),
    );
    assert.equal((await findByPath(api, "/a/../b/")).kind, "not_found");
    assert.equal(requests.length, 1);
  });

  it("throws on an outage rather than calling it not found", async () => {
    const { api } = fakeApi(
      on("/api/v2/pages/find/", { message: "Database unavailable", status: 503 }, { status: 503 }),
    );
    await assert.rejects(findByPath(api, "/"), (error: unknown) => {
      assert.ok(error instanceof SituationDeskApiError);
      assert.equal(error.status, 503);
      return true;
    });
  });
});

describe("the contract's unions narrow without casts", () => {
  it("a live translation link has an id and a path; a missing one has neither", () => {
    const paths: string[] = [];
    for (const link of article.meta.translations) {
      if (link.status === "live") {
        const id: number = link.id;
        const path: string = link.path; // compiles only because `status` narrows the union
        assert.ok(id > 0);
        paths.push(path);
      } else {
        assert.equal(link.status, "missing");
      }
    }
    assert.deepEqual(paths, [articleEn.meta.path, articleRu.meta.path]);
  });

  it("a page, a summary and a body block narrow by `type`", () => {
    const page: Page = article;
    assert.equal(page.type, "digest.ArticlePage");
    if (page.type === "digest.ArticlePage") {
      const weekStart: string = page.week.start; // an article's week is never null
      assert.match(weekStart, /^\d{4}-\d{2}-\d{2}$/);
      const first = page.body[0];
      if (first?.type === "paragraph") assert.equal(typeof first.value, "string");
    }
    for (const item of week.articles) {
      assert.equal(item.type, "digest.ArticlePage");
    }
  });
});

describe("languageSwitch", () => {
  it("links every language to the page's translation, the current one to itself", () => {
    const links = languageSwitch(article);
    assert.deepEqual(
      links.map(({ locale, status, href }) => [locale, status, href]),
      [
        ["en", "live", articleEn.meta.path],
        ["be", "current", article.meta.path],
        ["ru", "live", articleRu.meta.path],
      ],
    );
    assert.deepEqual(links.map((link) => link.name), ["English", "Беларуская", "Русский"]);
  });

  it("links a language that lacks the page to that language's home page", () => {
    assert.ok(borrowed);
    const english = { meta: { ...borrowed.meta, locale: "en" as const, path: "/situation-in-belarus/x/" } };
    const belarusian = languageSwitch(english).find((link) => link.locale === "be");
    assert.deepEqual(belarusian, { locale: "be", name: "Беларуская", href: "/be/", status: "missing" });
    const elsewhere = languageSwitch(english, (locale) => `/${locale}/situacyja/`);
    assert.equal(elsewhere.find((link) => link.locale === "be")?.href, "/be/situacyja/");
  });

  it("the home page switches between the three homes", () => {
    assert.deepEqual(languageSwitch(home).map((link) => link.href), ["/", "/be/", "/ru/"]);
  });

  it("resolves a missing language to the edition's borrowed version when it has one", async () => {
    const english = articleEn as unknown as ArticlePage;
    const withoutBelarusian: ArticlePage = {
      ...english,
      meta: {
        ...english.meta,
        translations: english.meta.translations.map((link) =>
          link.locale === "be" ? { ...link, status: "missing", id: null, path: null, html_url: null } : link,
        ),
      },
    };
    const borrowedPath = "/be/situacyja-u-bielarusi/2023-09-11/russian-slug/";
    const { api, requests } = fakeApi(
      on(`/api/v2/pages/${english.id}/`, { ...article, meta: { ...article.meta, path: borrowedPath, served_locale: "ru", fallback: true } }, { query: { locale: "be" } }),
    );
    const links = await resolveMissingLanguages(api, withoutBelarusian);
    assert.deepEqual(links.find((link) => link.locale === "be"), {
      locale: "be",
      name: "Беларуская",
      href: borrowedPath,
      status: "borrowed",
    });
    assert.equal(requests.length, 1, "only the missing language is looked up");
  });

  it("keeps a missing language missing when its edition has nothing", async () => {
    const english = { ...(articleEn as unknown as ArticlePage) };
    english.meta = {
      ...english.meta,
      translations: english.meta.translations.map((link) =>
        link.locale === "ru" ? { ...link, status: "missing", id: null, path: null, html_url: null } : link,
      ),
    };
    const { api } = fakeApi();
    const links = await resolveMissingLanguages(api, english);
    assert.deepEqual(links.find((link) => link.locale === "ru"), {
      locale: "ru",
      name: "Русский",
      href: "/ru/",
      status: "missing",
    });
  });
});

describe("fallbackBadge", () => {
  it("marks a Russian article in the Belarusian edition, in Belarusian", () => {
    assert.ok(borrowed);
    assert.deepEqual(fallbackBadge(borrowed), {
      requested: "be",
      served: "ru",
      label: "Па-руску",
      explanation: "Гэтага тэксту яшчэ няма па-беларуску: вы чытаеце яго па-руску.",
    });
  });

  it("has no badge for a text in the reader's language", () => {
    assert.equal(fallbackBadge(article), null);
    assert.equal(fallbackBadge(week), null);
    assert.equal(fallbackBadge(home), null);
  });

  it("marks exactly the borrowed items of a listing", () => {
    const items = articlesBeWithFallback.items as unknown as PageSummary[];
    const labels = items.map((item) => fallbackBadge(item)?.label ?? null);
    assert.deepEqual(labels, ["Па-руску", null, null, null, null]);
  });

  it("labels English served to Russian readers in Russian", () => {
    const meta = { locale: "ru" as const, served_locale: "en" as const, fallback: true };
    assert.equal(fallbackBadge({ meta })?.label, "На английском");
  });
});

describe("preview", () => {
  it("reads the query the admin's Preview button sends", () => {
    assert.deepEqual(previewQuery("?content_type=digest.articlepage&token=id%3D1%3Aabc"), {
      content_type: "digest.articlepage",
      token: "id=1:abc",
    });
    assert.equal(previewQuery("?token=abc"), null);
    assert.equal(previewQuery(new URLSearchParams({ content_type: "digest.articlepage" })), null);
  });

  it("returns the draft for a valid token", async () => {
    const { api, requests } = fakeApi(
      on("/api/v2/page_preview/", articleEn, { query: { content_type: "digest.articlepage", token: "t" } }),
    );
    const result = await fetchPreview(api, { content_type: "digest.articlepage", token: "t" });
    assert.equal(result.kind, "page");
    assert.ok(result.kind === "page" && isArticle(result.page as Page));
    assert.equal(requests.length, 1);
  });

  for (const code of ["invalid", "expired", "revoked", "outdated"] as const) {
    it(`says why a token is refused: ${code}`, async () => {
      const { api } = fakeApi(
        on("/api/v2/page_preview/", { message: `refused: ${code}`, status: 404, code }, { status: 404 }),
      );
      const result = await fetchPreview(api, { content_type: "digest.articlepage", token: "t" });
      assert.deepEqual(result, { kind: "refused", code, message: `refused: ${code}` });
    });
  }

  it("calls a malformed preview query invalid", async () => {
    const { api } = fakeApi(
      on("/api/v2/page_preview/", { message: "content_type must look like", status: 400 }, { status: 400 }),
    );
    const result = await fetchPreview(api, { content_type: "nonsense", token: "t" });
    assert.equal(result.kind === "refused" && result.code, "invalid");
  });

  it("narrows a home page", () => {
    assert.ok(isHome(home as Page));
  });
});

describe("webhook signatures", () => {
  const secret = "endpoint-secret";
  // Exactly what core/webhooks.py's body_of() writes: sorted keys, no spaces, UTF-8.
  const body = '{"event":"page.published","locale":"be","path":"/be/situacyja-u-bielarusi/","title":"Сітуацыя"}';
  // core.webhooks.signature("endpoint-secret", body_of({...})) in the CMS.
  const expected = "sha256=29d0f69667b9c19cbbc681f1a907080db5f40afead2b3da4683811fad8ca313d";

  it("signs as the CMS does (HMAC-SHA256 of the body bytes, hex)", async () => {
    assert.equal(await signWebhookBody(body, secret), expected);
    const nodeCrypto = createHmac("sha256", secret).update(Buffer.from(body, "utf8")).digest("hex");
    assert.equal(expected, `sha256=${nodeCrypto}`);
  });

  it("accepts the CMS's signature of the exact bytes, as a string, Buffer or ArrayBuffer", async () => {
    const bytes = Buffer.from(body, "utf8");
    assert.equal(await verifyWebhookSignature(body, expected, secret), true);
    assert.equal(await verifyWebhookSignature(bytes, expected, secret), true);
    const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    assert.equal(await verifyWebhookSignature(copy, expected.toUpperCase().replace("SHA256=", "sha256="), secret), true);
  });

  it("refuses another body, another secret, a malformed or a missing header", async () => {
    assert.equal(await verifyWebhookSignature(`${body} `, expected, secret), false);
    assert.equal(await verifyWebhookSignature(body.replace("be", "ru"), expected, secret), false);
    assert.equal(await verifyWebhookSignature(body, expected, "another-secret"), false);
    assert.equal(await verifyWebhookSignature(body, expected.slice(0, -2), secret), false);
    assert.equal(await verifyWebhookSignature(body, expected.replace("sha256=", "sha1="), secret), false);
    assert.equal(await verifyWebhookSignature(body, `${expected}00`, secret), false);
    assert.equal(await verifyWebhookSignature(body, null, secret), false);
    assert.equal(await verifyWebhookSignature(body, undefined, secret), false);
    assert.equal(await verifyWebhookSignature(body, expected, ""), false);
  });
});

describe("planRebuild (the change feed)", () => {
  const change = (cursor: string, action: PageChange["action"], be: string | null, removed: string[] = []) => ({
    cursor,
    page_id: 14,
    page_type: "digest.ArticlePage",
    locale: "be" as const,
    action,
    paths: { en: "/situation-in-belarus/2023-09-11/west/", be, ru: null },
    removed_paths: removed,
    occurred_at: "2023-09-15T09:12:03+00:00",
  });
  const page = (since: string, cursor: string, hasMore: boolean, items: unknown[]) =>
    on(
      "/api/v2/changes/",
      { meta: { since, cursor, has_more: hasMore, next: `http://cms.test/api/v2/changes/?since=${cursor}` }, items },
      { query: { since } },
    );

  it("follows the feed to its end and plans what to render again and what to delete", async () => {
    const { api, requests } = fakeApi(
      page("40", "41", true, [change("41", "created", "/be/situacyja-u-bielarusi/2023-09-11/west/")]),
      page("41", "42", false, [
        change("42", "unpublished", null, ["/be/situacyja-u-bielarusi/2023-09-11/west/"]),
      ]),
    );
    const plan = await planRebuild(api, "40");
    assert.equal(plan.kind, "changes");
    if (plan.kind !== "changes") return;
    assert.equal(plan.cursor, "42");
    assert.deepEqual(requests.map((url) => url.searchParams.get("since")), ["40", "41"]);
    // Created, then unpublished: gone, so what listed it and its English version's language
    // switch are rendered again, and its file deleted.
    assert.deepEqual(plan.rebuild, [
      "/",
      "/be/",
      "/be/situacyja-u-bielarusi/",
      "/be/situacyja-u-bielarusi/2023-09-11/",
      "/situation-in-belarus/",
      "/situation-in-belarus/2023-09-11/",
      "/situation-in-belarus/2023-09-11/west/",
    ]);
    assert.deepEqual(plan.remove, ["/be/situacyja-u-bielarusi/2023-09-11/west/"]);
    assert.equal(plan.changes.length, 2);
  });

  it("deletes what readers lost and nothing still listed", async () => {
    const gone = "/be/situacyja-u-bielarusi/2023-09-11/old-slug/";
    const { api } = fakeApi(page("7", "8", false, [change("8", "updated", "/be/situacyja-u-bielarusi/2023-09-11/new/", [gone])]));
    const plan = await planRebuild(api, "7");
    assert.ok(plan.kind === "changes");
    assert.deepEqual(plan.kind === "changes" && plan.remove, [gone]);
  });

  it("says so when the cursor is too old: rebuild in full", async () => {
    const { api } = fakeApi(
      on("/api/v2/changes/", { message: "This cursor is no longer kept.", status: 410, code: "full_rebuild" }, { status: 410 }),
    );
    assert.deepEqual(await planRebuild(api, "1"), {
      kind: "full_rebuild",
      message: "This cursor is no longer kept.",
    });
  });

  it("a first build takes the current position before it builds", async () => {
    const { api, requests } = fakeApi(
      on("/api/v2/changes/", { meta: { since: null, cursor: "99", has_more: false, next: "http://cms.test/api/v2/changes/?since=99" }, items: [] }),
    );
    assert.equal(await currentCursor(api), "99");
    assert.equal(requests[0]?.searchParams.has("since"), false);
  });

  it("lists a page's listing pages", () => {
    assert.deepEqual(listingPaths("/ru/situaciya-v-belarusi/2023-09-11/x/"), [
      "/ru/situaciya-v-belarusi/2023-09-11/",
      "/ru/situaciya-v-belarusi/",
      "/ru/",
      "/",
    ]);
  });
});
