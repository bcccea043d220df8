/**
 * Reference page: a week and its first article, rendered through the typed client only.
 * It exists to prove the contract is enough to build the site, and is driven by a browser test.
 */
import {
  type ArticlePage,
  type ArticlePageSummary,
  type BodyBlock,
  createSituationDeskClient,
  isArticle,
  isReport,
  type Locale,
  LOCALES,
  localePrefix,
  type ReportPage,
} from "../src/client";

const query = new URLSearchParams(window.location.search);
const api = createSituationDeskClient(query.get("api") ?? window.location.origin);
const locale = (LOCALES.find((code) => code === query.get("locale")) ?? "en") as Locale;
const app = document.getElementById("app") as HTMLElement;

function element(tag: string, text?: string, className?: string): HTMLElement {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

async function findWeek(): Promise<ReportPage> {
  const week = query.get("week");
  const listing = await api.GET("/api/v2/pages/", {
    params: {
      query: {
        type: "digest.ReportPage",
        locale,
        order: "-week_start",
        limit: 1,
        ...(week ? { week } : {}),
      },
    },
  });
  const first = listing.data?.items[0];
  if (!first) throw new Error(listing.error?.message ?? "no week found");
  const detail = await api.GET("/api/v2/pages/{id}/", {
    params: { path: { id: first.id }, query: { locale, fallback: true } },
  });
  if (!detail.data || !isReport(detail.data)) throw new Error("not a week");
  return detail.data;
}

function renderSummary(summary: ArticlePageSummary): HTMLElement {
  const item = element("li", undefined, "article-summary");
  item.dataset.id = String(summary.id);
  item.append(element("span", summary.topic.name, "topic"), document.createTextNode(" · "));
  if (summary.trend) {
    item.append(element("span", summary.trend.label, `trend trend-${summary.trend.direction}`));
  }
  item.append(element("h3", summary.title));
  if (summary.meta.fallback) {
    item.append(element("span", summary.meta.served_locale, "fallback"));
  }
  return item;
}

function renderBlock(block: BodyBlock): HTMLElement {
  switch (block.type) {
    case "paragraph": {
      const wrapper = element("div", undefined, "paragraph");
      // The API sanitizes rich text; it is safe to insert as HTML.
      wrapper.innerHTML = block.value;
      return wrapper;
    }
    case "heading":
      return element(block.value.level, block.value.text);
    case "quote": {
      const quote = element("blockquote", block.value.quote);
      if (block.value.attribution) quote.append(element("cite", ` — ${block.value.attribution}`));
      return quote;
    }
    case "key_figures": {
      const box = element("aside", undefined, "key-figures");
      box.append(element("h4", block.value.title));
      for (const figure of block.value.figures) {
        box.append(element("p", `${figure.value} — ${figure.label}`));
      }
      return box;
    }
    case "table": {
      const table = element("table");
      for (const row of block.value.rows) {
        const tr = element("tr");
        for (const cell of row) tr.append(element("td", cell));
        table.append(tr);
      }
      return table;
    }
    case "image":
      return element("figure", block.value.caption);
    case "embed":
      return element("p", block.value.url, "embed");
  }
}

function renderArticle(article: ArticlePage): HTMLElement {
  const section = element("article", undefined, "article");
  section.dataset.id = String(article.id);
  section.lang = article.meta.served_locale;
  section.append(element("h2", article.title, "article-title"));
  section.append(element("p", `${article.topic.name} · ${article.trend?.label ?? ""}`, "meta"));
  section.append(element("p", article.authors.map((author) => author.name).join(", "), "byline"));
  section.append(element("p", article.lead, "lead"));
  if (article.photo) {
    section.append(element("p", article.photo.credit, "credit"));
  }
  for (const block of article.body) section.append(renderBlock(block));
  return section;
}

function renderLanguageSwitch(article: ArticlePage): void {
  const nav = document.getElementById("languages") as HTMLElement;
  for (const link of article.meta.translations) {
    const anchor = element("a", link.locale) as HTMLAnchorElement;
    anchor.href = link.path ?? `${localePrefix(link.locale)}/`;
    anchor.dataset.status = link.status;
    nav.append(anchor);
  }
}

async function main(): Promise<void> {
  const week = await findWeek();
  app.replaceChildren();
  app.append(element("h1", week.title, "week-title"));
  const list = element("ul", undefined, "articles");
  for (const summary of week.articles) list.append(renderSummary(summary));
  app.append(list);

  const first = week.articles[0];
  if (first) {
    const detail = await api.GET("/api/v2/pages/{id}/", {
      params: { path: { id: first.id }, query: { locale, fallback: true } },
    });
    if (detail.data && isArticle(detail.data)) {
      app.append(renderArticle(detail.data));
      renderLanguageSwitch(detail.data);
    } else {
      throw new Error(detail.error?.message ?? "article not found");
    }
  }
  app.setAttribute("aria-busy", "false");
}

main().catch((error: unknown) => {
  app.textContent = `Error: ${error instanceof Error ? error.message : String(error)}`;
  app.setAttribute("aria-busy", "false");
  app.dataset.error = "true";
});
