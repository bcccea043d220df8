/**
 * The starter frontend's routes: a frontend URL in, an HTML answer out, through the SDK only.
 *
 *   /preview?content_type=…&token=…   the admin's Preview button (wagtail-headless-preview)
 *   [/be|/ru]/topics/<slug>/          a topic's archive (the CMS has no topic pages)
 *   anything else                     the page the API finds at that path (find by path), a
 *                                     redirect the API knows, or 404
 */
import {
  findByPath,
  fetchPreview,
  homePath,
  isArticle,
  isArticleSummary,
  isHome,
  isReport,
  isReportIndex,
  isReportSummary,
  languageSwitch,
  type LanguageLink,
  LANGUAGE_NAMES,
  LOCALES,
  type Locale,
  localeOfPath,
  type Page,
  previewQuery,
  resolveMissingLanguages,
  SituationDeskApiError,
  type SituationDeskClient,
} from "../src/client";
import { html, type Html } from "./html";
import { STRINGS } from "./strings";
import {
  archiveView,
  articleView,
  type Chrome,
  genericView,
  homeView,
  layout,
  messageView,
  type Pagination,
  topicPath,
  topicView,
  weekView,
} from "./views";

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface StarterOptions {
  api: SituationDeskClient;
  /** Weeks and articles per archive page. */
  pageSize?: number;
}

// Scripts are never needed: the API's HTML carries none. Images come from the CMS's media
// (another origin), embeds are the providers' https iframes.
const SECURITY_HEADERS = {
  "Content-Security-Policy":
    "default-src 'none'; img-src 'self' https: http: data:; style-src 'unsafe-inline'; " +
    "frame-src https:; base-uri 'none'; form-action 'self'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
};

const TOPIC_ROUTE = /^\/topics\/([a-z0-9-]+)(\/?)$/;
const PAGE_NUMBER = /^[1-9][0-9]{0,5}$/;

class NotFound extends Error {}

export function createStarter({ api, pageSize = 10 }: StarterOptions) {
  function answer(status: number, body: string, extra: Record<string, string> = {}): Answer {
    return {
      status,
      headers: {
        "Content-Type": "text/html; charset=utf-8",
        "Cache-Control": "no-cache",
        ...SECURITY_HEADERS,
        ...extra,
      },
      body,
    };
  }

  function redirect(location: string, permanent: boolean): Answer {
    return {
      status: permanent ? 301 : 302,
      headers: { Location: location, "Cache-Control": "no-cache" },
      body: "",
    };
  }

  /** The edition's archive link and topics, for the header and footer. Never fails a page. */
  async function chrome(locale: Locale, languages: LanguageLink[]): Promise<Chrome> {
    const [index, topics] = await Promise.all([
      api
        .GET("/api/v2/pages/", {
          params: { query: { type: "digest.ReportIndexPage", locale, limit: 1 } },
        })
        .catch(() => null),
      api.GET("/api/v2/topics/", { params: { query: { locale, limit: 50 } } }).catch(() => null),
    ]);
    return {
      locale,
      archivePath: index?.data?.items[0]?.meta.path ?? null,
      topics: (topics?.data?.items ?? []).map(({ id, slug, name }) => ({ id, slug, name })),
      languages,
    };
  }

  function homes(locale: Locale): LanguageLink[] {
    return LOCALES.map((code) => ({
      locale: code,
      name: LANGUAGE_NAMES[code],
      href: homePath(code),
      status: code === locale ? "current" : "live",
    }));
  }

  function pageNumber(url: URL): number {
    const value = url.searchParams.get("page");
    if (value === null) return 1;
    if (!PAGE_NUMBER.test(value)) throw new NotFound();
    return Number(value);
  }

  function paginate(total: number, page: number, path: string): Pagination {
    const pages = Math.max(1, Math.ceil(total / pageSize));
    if (page > pages) throw new NotFound();
    return { page, pages, path };
  }

  /** A page of the API as HTML: what readers see at its path, and what its preview shows. */
  async function renderPage(page: Page, url: URL, preview: boolean): Promise<Answer> {
    const locale = page.meta.locale;
    const languages = preview
      ? languageSwitch(page)
      : await resolveMissingLanguages(api, page).catch(() => languageSwitch(page));
    const frame = await chrome(locale, languages);
    let main: Html;
    if (isHome(page)) {
      main = homeView(page);
    } else if (isReportIndex(page)) {
      const number = pageNumber(url);
      const weeks = await api.GET("/api/v2/pages/", {
        params: {
          query: {
            type: "digest.ReportPage",
            locale,
            order: "-week_start",
            limit: pageSize,
            offset: (number - 1) * pageSize,
          },
        },
      });
      if (!weeks.data) throw new SituationDeskApiError(weeks.response.status, weeks.error, "weeks");
      const items = weeks.data.items.filter(isReportSummary);
      main = archiveView(
        page,
        items,
        paginate(weeks.data.meta.total_count, number, page.meta.path ?? url.pathname),
      );
    } else if (isReport(page)) {
      main = weekView(page);
    } else if (isArticle(page)) {
      main = articleView(page);
    } else {
      main = genericView(page);
    }
    const body = layout(frame, page.meta.seo_title || page.title, main, {
      preview,
      description: page.meta.search_description,
    });
    return preview ? answer(200, body, { "Cache-Control": "private, no-store" }) : answer(200, body);
  }

  async function topicArchive(locale: Locale, slug: string, url: URL): Promise<Answer> {
    const number = pageNumber(url);
    const [topics, articles] = await Promise.all([
      api.GET("/api/v2/topics/", { params: { query: { locale, slug } } }),
      api.GET("/api/v2/pages/", {
        params: {
          query: {
            type: "digest.ArticlePage",
            locale,
            topic: slug,
            limit: pageSize,
            offset: (number - 1) * pageSize,
          },
        },
      }),
    ]);
    const topic = topics.data?.items[0];
    // The API refuses (400) a topic no reader can know of.
    if (!topic || articles.response.status === 400) throw new NotFound();
    if (!articles.data) {
      throw new SituationDeskApiError(articles.response.status, articles.error, "articles");
    }
    const path = topicPath(locale, slug);
    const languages = LOCALES.map(
      (code): LanguageLink => ({
        locale: code,
        name: LANGUAGE_NAMES[code],
        href: topicPath(code, slug),
        status: code === locale ? "current" : "live",
      }),
    );
    const main = topicView(
      locale,
      topic,
      articles.data.items.filter(isArticleSummary),
      paginate(articles.data.meta.total_count, number, path),
    );
    return answer(200, layout(await chrome(locale, languages), topic.name, main));
  }

  async function previewRoute(url: URL): Promise<Answer> {
    const query = previewQuery(url.searchParams);
    const locale = "en";
    if (!query) throw new NotFound();
    const result = await fetchPreview(api, query);
    if (result.kind === "page") return renderPage(result.page, url, true);
    const t = STRINGS[locale];
    const main = html`<section class="preview-refused" data-code="${result.code}"><h1>${t.notFoundTitle}</h1><p>${t.previewRefused[result.code]}</p></section>`;
    return answer(404, layout(await chrome(locale, homes(locale)), t.notFoundTitle, main), {
      "Cache-Control": "private, no-store",
    });
  }

  async function notFound(locale: Locale): Promise<Answer> {
    const t = STRINGS[locale];
    const main = messageView(t.notFoundTitle, t.notFoundText, "not-found");
    return answer(404, layout(await chrome(locale, homes(locale)), t.notFoundTitle, main));
  }

  async function route(url: URL): Promise<Answer> {
    if (url.pathname === "/preview" || url.pathname === "/preview/") return previewRoute(url);
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      throw new NotFound();
    }
    const locale = localeOfPath(path);
    const rest = locale === "en" ? path : path.slice(locale.length + 1);
    const topic = TOPIC_ROUTE.exec(rest);
    if (topic?.[1]) {
      if (!topic[2]) return redirect(topicPath(locale, topic[1]) + url.search, true);
      return topicArchive(locale, topic[1], url);
    }
    const found = await findByPath(api, path);
    if (found.kind === "redirect") return redirect(found.location, found.permanent);
    if (found.kind === "not_found") throw new NotFound();
    const canonical = found.page.meta.path;
    if (canonical && !path.endsWith("/") && canonical === `${path}/`) {
      return redirect(canonical + url.search, true);
    }
    return renderPage(found.page, url, false);
  }

  /** The answer to a GET of `url` on the frontend. */
  return async function handle(url: URL): Promise<Answer> {
    const locale = localeOfPath(url.pathname);
    try {
      return await route(url);
    } catch (error) {
      if (error instanceof NotFound) return notFound(locale);
      // The API is down or answered what it should not: say so, in the reader's language.
      const t = STRINGS[locale];
      console.error(`${url.pathname}: ${error instanceof Error ? error.message : String(error)}`);
      const main = messageView(t.errorTitle, t.errorText, "unavailable");
      const frame: Chrome = { locale, archivePath: null, topics: [], languages: homes(locale) };
      return answer(503, layout(frame, t.errorTitle, main), { "Retry-After": "60" });
    }
  };
}
