/**
 * A thin, typed client for the Situation Desk API (openapi-fetch over the generated types),
 * and the SDK (./sdk.ts): find by path, the language switch, fallback badges, preview, webhooks.
 *
 *   const api = createSituationDeskClient("https://cms.example.org");
 *   const { data, error } = await api.GET("/api/v2/pages/find/", {
 *     params: { query: { html_path: "/be/" } },
 *   });
 */
import createClient, { type ClientOptions } from "openapi-fetch";

import type { components, paths } from "./schema";

export type Schemas = components["schemas"];
export type Page = Schemas["Page"];
export type PageSummary = Schemas["PageSummary"];
export type ArticlePage = Schemas["ArticlePage"];
export type ArticlePageSummary = Schemas["ArticlePageSummary"];
export type ReportPage = Schemas["ReportPage"];
export type ReportPageSummary = Schemas["ReportPageSummary"];
export type ReportIndexPage = Schemas["ReportIndexPage"];
export type HomePage = Schemas["HomePage"];
export type BodyBlock = Schemas["BodyBlock"];
export type ApiError = Schemas["Error"];
export type PageMeta = Schemas["PageMeta"];
export type Locale = PageMeta["locale"];


export function createSituationDeskClient(baseUrl: string, options: ClientOptions = {}) {
  return createClient<paths>({ ...options, baseUrl: baseUrl.replace(/\/$/, "") });
}

export type SituationDeskClient = ReturnType<typeof createSituationDeskClient>;

/**
 * Every page, summary and search result names its type in `type`, the unions' discriminator:
 * `if (page.type === "digest.ArticlePage")` narrows without a cast. These say the same.
 */
export function isArticle(page: Page): page is ArticlePage {
  return page.type === "digest.ArticlePage";
}

export function isReport(page: Page): page is ReportPage {
  return page.type === "digest.ReportPage";
}

export function isReportIndex(page: Page): page is ReportIndexPage {
  return page.type === "digest.ReportIndexPage";
}

/** The same for listing items (summaries). */
export function isArticleSummary(item: PageSummary): item is ArticlePageSummary {
  return item.type === "digest.ArticlePage";
}

export function isReportSummary(item: PageSummary): item is ReportPageSummary {
  return item.type === "digest.ReportPage";
}

export function isHome(page: Page): page is HomePage {
  return page.type === "home.HomePage";
}

/** The frontend path prefix of a locale: English is unprefixed. */
export function localePrefix(locale: Locale): string {
  return locale === "en" ? "" : `/${locale}`;
}

export * from "./sdk";
