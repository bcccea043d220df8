/**
 * The starter's pages as HTML, from the API's types. Text is escaped by `html` (./html.ts);
 * only the API's sanitized HTML (paragraphs, the home page's `about`, embed HTML) is `trusted`.
 */
import {
  type ArticlePage,
  type ArticlePageSummary,
  type BodyBlock,
  fallbackBadge,
  type FallbackBadge,
  type HomePage,
  homePath,
  type LanguageLink,
  type Locale,
  type Page,
  type PageMeta,
  type ReportIndexPage,
  type ReportPage,
  type ReportPageSummary,
  type Schemas,
} from "../src/client";
import { Html, html, trusted } from "./html";
import { STRINGS } from "./strings";

type Image = Schemas["Image"];
type TopicRef = Schemas["TopicRef"];

export interface Chrome {
  locale: Locale;
  /** The archive's path in this edition, when there is one. */
  archivePath: string | null;
  topics: TopicRef[];
  languages: LanguageLink[];
}

export interface Pagination {
  page: number;
  pages: number;
  /** The path the `?page=` links are added to. */
  path: string;
}

/** The frontend's own route of a topic archive (the CMS has no topic pages). */
export function topicPath(locale: Locale, slug: string): string {
  return `${homePath(locale)}topics/${encodeURIComponent(slug)}/`;
}

/** The week an article belongs to: its parent path (a borrowed article's is the edition's week). */
export function parentPath(path: string): string {
  return path.replace(/[^/]+\/$/, "");
}

function safeUrl(url: string | null | undefined): string | null {
  return url && /^https?:\/\//i.test(url) ? url : null;
}

// ---- the layout --------------------------------------------------------------------------

export function layout(
  chrome: Chrome,
  title: string,
  main: Html,
  options: { preview?: boolean; description?: string } = {},
): string {
  const t = STRINGS[chrome.locale];
  const document = html`<!doctype html>
<html lang="${chrome.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — ${t.site}</title>
${options.description ? html`<meta name="description" content="${options.description}">` : ""}
${options.preview ? html`<meta name="robots" content="noindex, nofollow">` : ""}
<style>${trusted(STYLE)}</style>
</head>
<body>
${options.preview ? html`<p class="preview-banner" role="status">${t.previewBanner}</p>` : ""}
<header class="site-header">
<a class="site-name" href="${homePath(chrome.locale)}">${t.site}</a>
<nav class="site-nav" aria-label="${t.site}">
<a href="${homePath(chrome.locale)}">${t.home}</a>
${chrome.archivePath ? html`<a class="archive-link" href="${chrome.archivePath}">${t.archive}</a>` : ""}
</nav>
${languageSwitchNav(chrome)}
</header>
<main id="main">
${main}
</main>
${
  chrome.topics.length
    ? html`<footer class="site-footer"><nav class="topic-nav" aria-label="${t.topics}"><h2>${t.topics}</h2><ul>${chrome.topics.map(
        (topic) =>
          html`<li><a href="${topicPath(chrome.locale, topic.slug)}">${topic.name}</a></li>`,
      )}</ul></nav></footer>`
    : ""
}
</body>
</html>
`;
  return document.value;
}

function languageSwitchNav(chrome: Chrome): Html {
  const t = STRINGS[chrome.locale];
  return html`<nav class="language-switch" aria-label="${t.languages}"><ul>${chrome.languages.map(
    (link) =>
      link.status === "current"
        ? html`<li><span class="language" data-locale="${link.locale}" data-status="current" aria-current="page" lang="${link.locale}">${link.name}</span></li>`
        : html`<li><a class="language" data-locale="${link.locale}" data-status="${link.status}" lang="${link.locale}" hreflang="${link.locale}" href="${link.href}"${
            link.status === "missing"
              ? html` title="${t.missingLanguage(link.name)}"`
              : ""
          }>${link.name}</a></li>`,
  )}</ul></nav>`;
}

// ---- shared pieces -----------------------------------------------------------------------

export function badge(item: { meta: Pick<PageMeta, "locale" | "served_locale" | "fallback"> }) {
  const found: FallbackBadge | null = fallbackBadge(item);
  if (!found) return "";
  return html`<span class="fallback-badge" data-served-locale="${found.served}" title="${found.explanation}">${found.label}</span>`;
}

function trend(value: ArticlePageSummary["trend"]) {
  if (!value) return "";
  return html`<span class="trend trend-${value.value}" data-direction="${value.direction}">${value.label}</span>`;
}

function picture(image: Image, sizes: string): Html {
  const byFormat = (format: "jpeg" | "webp") =>
    image.renditions
      .filter((rendition) => rendition.format === format)
      .sort((a, b) => a.width - b.width);
  const jpeg = byFormat("jpeg");
  const webp = byFormat("webp");
  const srcset = (list: typeof jpeg) => list.map((r) => `${r.url} ${r.width}w`).join(", ");
  const fallback = jpeg[0] ?? webp[0];
  if (!fallback) return html``;
  return html`<picture>${webp.length ? html`<source type="image/webp" srcset="${srcset(webp)}" sizes="${sizes}">` : ""}<img src="${fallback.url}" srcset="${srcset(jpeg.length ? jpeg : webp)}" sizes="${sizes}" width="${fallback.width}" height="${fallback.height}" alt="${image.alt}" loading="lazy"></picture>`;
}

function credit(text: string, sourceUrl: string | null | undefined) {
  if (!text) return "";
  const href = safeUrl(sourceUrl);
  return html`<span class="credit">${href ? html`<a href="${href}" rel="noopener">${text}</a>` : text}</span>`;
}

function articleSummary(summary: ArticlePageSummary, options: { showWeek?: boolean } = {}) {
  return html`<li class="article-summary" data-id="${summary.id}" lang="${summary.meta.served_locale}">
<p class="kicker"><span class="topic">${summary.topic.name}</span> ${trend(summary.trend)} ${badge(summary)}</p>
<h3><a href="${summary.meta.path ?? "#"}">${summary.title}</a></h3>
${options.showWeek && summary.week ? html`<p class="week">${summary.week.title}</p>` : ""}
<p class="lead">${summary.lead}</p>
</li>`;
}

function weekSummary(week: ReportPageSummary) {
  return html`<li class="week-summary" data-id="${week.id}" lang="${week.meta.served_locale}">
<h2><a href="${week.meta.path ?? "#"}">${week.title}</a> ${badge(week)}</h2>
<p class="summary">${week.summary}</p>
</li>`;
}

function pagination(locale: Locale, pages: Pagination) {
  if (pages.pages <= 1) return "";
  const t = STRINGS[locale];
  const link = (page: number) => (page === 1 ? pages.path : `${pages.path}?page=${page}`);
  return html`<nav class="pagination"><span class="page-of">${t.pageOf(pages.page, pages.pages)}</span>
${pages.page > 1 ? html`<a rel="prev" href="${link(pages.page - 1)}">${t.newer}</a>` : ""}
${pages.page < pages.pages ? html`<a rel="next" href="${link(pages.page + 1)}">${t.older}</a>` : ""}</nav>`;
}

// ---- pages -------------------------------------------------------------------------------

export function homeView(page: HomePage): Html {
  const t = STRINGS[page.meta.locale];
  const week = page.latest_week;
  return html`<section class="home">
<h1>${page.title}</h1>
<div class="about">${trusted(page.about)}</div>
${
  week
    ? html`<section class="latest-week" data-id="${week.id}">
<h2>${t.latestWeek}: <a class="week-title" href="${week.meta.path ?? "#"}">${week.title}</a> ${badge(week)}</h2>
<p class="summary">${week.summary}</p>
<ul class="articles">${week.articles.map((summary) => articleSummary(summary))}</ul>
</section>`
    : ""
}
<aside class="newsletter"><h2>${page.newsletter.title}</h2><p>${page.newsletter.text}</p></aside>
</section>`;
}

export function archiveView(
  page: ReportIndexPage,
  weeks: ReportPageSummary[],
  pages: Pagination,
): Html {
  return html`<section class="archive">
<h1>${page.title}</h1>
${page.intro ? html`<p class="intro">${page.intro}</p>` : ""}
<ol class="weeks">${weeks.map(weekSummary)}</ol>
${pagination(page.meta.locale, pages)}
</section>`;
}

export function weekView(page: ReportPage): Html {
  const t = STRINGS[page.meta.locale];
  return html`<article class="week" data-id="${page.id}" lang="${page.meta.served_locale}">
<h1 class="week-title">${page.title} ${badge(page)}</h1>
<p class="summary">${page.summary}</p>
${page.articles.length ? html`<ul class="articles">${page.articles.map((summary) => articleSummary(summary))}</ul>` : html`<p>${t.noArticles}</p>`}
</article>`;
}

export function topicView(
  locale: Locale,
  topic: { name: string; description: string },
  articles: ArticlePageSummary[],
  pages: Pagination,
): Html {
  const t = STRINGS[locale];
  return html`<section class="topic-archive">
<h1>${topic.name}</h1>
${topic.description ? html`<p class="intro">${topic.description}</p>` : ""}
${articles.length ? html`<ul class="articles">${articles.map((summary) => articleSummary(summary, { showWeek: true }))}</ul>` : html`<p>${t.noArticles}</p>`}
${pagination(locale, pages)}
</section>`;
}

export function articleView(page: ArticlePage): Html {
  const t = STRINGS[page.meta.locale];
  const found = fallbackBadge(page);
  const weekPath = page.meta.path ? parentPath(page.meta.path) : null;
  return html`<article class="article" data-id="${page.id}" lang="${page.meta.served_locale}">
<header>
<p class="kicker"><a class="topic" href="${topicPath(page.meta.locale, page.topic.slug)}">${page.topic.name}</a> ${trend(page.trend)} ${badge(page)}</p>
${found ? html`<p class="fallback-note" lang="${page.meta.locale}">${found.explanation}</p>` : ""}
<h1 class="article-title">${page.title}</h1>
${page.week ? html`<p class="week">${weekPath ? html`<a href="${weekPath}">${page.week.title}</a>` : page.week.title}</p>` : ""}
${page.authors.length ? html`<p class="byline">${t.byline} ${page.authors.map((author, index) => html`${index ? ", " : ""}<span class="author">${author.name}</span>${author.role ? html` <span class="role">(${author.role})</span>` : ""}`)}</p>` : ""}
<p class="lead">${page.lead}</p>
</header>
${page.photo ? html`<figure class="photo">${picture(page.photo, "(min-width: 48rem) 46rem, 100vw")}<figcaption>${credit(page.photo.credit, page.photo.source_url)}</figcaption></figure>` : ""}
<div class="body">${page.body.map((block) => bodyBlock(block, page.meta.locale))}</div>
${
  page.related_articles.length
    ? html`<aside class="related"><h2>${t.related}</h2><ul class="articles">${page.related_articles.map((summary) => articleSummary(summary))}</ul></aside>`
    : ""
}
</article>`;
}

/** One body block; the switch is exhaustive, so a block type added to the contract fails tsc. */
export function bodyBlock(block: BodyBlock, locale: Locale): Html {
  switch (block.type) {
    case "paragraph":
      // Sanitized by the API (nh3 allow-list); its internal links already point at the frontend.
      return html`<div class="block block-paragraph" data-block="paragraph">${trusted(block.value)}</div>`;
    case "heading":
      return block.value.level === "h2"
        ? html`<h2 class="block block-heading" data-block="heading">${block.value.text}</h2>`
        : html`<h3 class="block block-heading" data-block="heading">${block.value.text}</h3>`;
    case "quote":
      return html`<figure class="block block-quote" data-block="quote"><blockquote><p>${block.value.quote}</p></blockquote>${block.value.attribution ? html`<figcaption>— <cite>${block.value.attribution}</cite></figcaption>` : ""}</figure>`;
    case "image": {
      const { image, caption } = block.value;
      return html`<figure class="block block-image" data-block="image">${image ? picture(image, "(min-width: 48rem) 46rem, 100vw") : ""}${
        caption || block.value.credit
          ? html`<figcaption>${caption ? html`<span class="caption">${caption}</span> ` : ""}${credit(block.value.credit, image?.source_url)}</figcaption>`
          : ""
      }</figure>`;
    }
    case "embed": {
      const { url, html: markup, title, provider, caption } = block.value;
      const href = safeUrl(url);
      // Embed HTML is the API's: only the allowed providers' iframes and placeholders, no scripts.
      const content = markup
        ? html`<div class="embed-frame">${trusted(markup)}</div>`
        : html`<p class="embed-link">${href ? html`<a href="${href}" rel="noopener">${title ?? provider ?? href}</a>` : title ?? provider ?? ""}</p>`;
      return html`<figure class="block block-embed" data-block="embed" data-provider="${provider ?? ""}">${content}${caption ? html`<figcaption>${caption}</figcaption>` : ""}</figure>`;
    }
    case "table": {
      const { rows, caption, first_row_is_header: headRow, first_col_is_header: headCol } =
        block.value;
      const [first, ...rest] = rows;
      const bodyRows = headRow ? rest : rows;
      const cell = (text: string, column: number) =>
        headCol && column === 0 ? html`<th scope="row">${text}</th>` : html`<td>${text}</td>`;
      return html`<div class="block block-table" data-block="table"><table>${caption ? html`<caption>${caption}</caption>` : ""}${
        headRow && first
          ? html`<thead><tr>${first.map((text) => html`<th scope="col">${text}</th>`)}</tr></thead>`
          : ""
      }<tbody>${bodyRows.map((row) => html`<tr>${row.map(cell)}</tr>`)}</tbody></table></div>`;
    }
    case "key_figures":
      return html`<aside class="block block-key-figures" data-block="key_figures" aria-label="${STRINGS[locale].figures}"><h3>${block.value.title}</h3><dl>${block.value.figures.map(
        (figure) => html`<div class="figure"><dt>${figure.value}</dt><dd>${figure.label}</dd></div>`,
      )}</dl>${block.value.note ? html`<p class="note">${block.value.note}</p>` : ""}</aside>`;
  }
}

export function genericView(page: Page): Html {
  return html`<article class="page" data-id="${page.id}"><h1>${page.title}</h1></article>`;
}

export function messageView(title: string, text: string, className: string): Html {
  return html`<section class="${className}"><h1>${title}</h1><p>${text}</p></section>`;
}

const STYLE = `
body{font:17px/1.55 system-ui,sans-serif;max-width:48rem;margin:0 auto;padding:0 1rem 3rem;color:#1d1d1f}
a{color:#0b57d0}
.site-header{display:flex;flex-wrap:wrap;gap:1rem;align-items:baseline;border-bottom:1px solid #ddd;padding:1rem 0}
.site-name{font-weight:700;text-decoration:none;color:inherit;margin-right:auto}
.site-nav a,.language-switch li{margin-right:.75rem}
.language-switch ul,.topic-nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.5rem}
.language-switch [data-status=current]{font-weight:700}
.language-switch [data-status=missing]{color:#777}
.preview-banner{background:#b3261e;color:#fff;padding:.5rem 1rem;margin:0 -1rem;font-weight:600}
.fallback-badge{font-size:.75rem;background:#fff3c4;border:1px solid #e6c200;border-radius:.25rem;padding:0 .35rem}
.fallback-note{font-size:.9rem;background:#fff9e0;padding:.4rem .6rem}
.trend{font-size:.85rem}.trend-improved{color:#1b7f3b}.trend-unchanged{color:#666}.trend-worsened{color:#b3261e}
.kicker{margin:0;font-size:.9rem}.topic{font-weight:600}
.lead{font-weight:600}
.articles,.weeks{list-style:none;padding:0}.article-summary,.week-summary{margin:1.25rem 0}
.article-summary h3{margin:.2rem 0}
img{max-width:100%;height:auto}
figure{margin:1.5rem 0}figcaption,.credit{font-size:.85rem;color:#555}
blockquote{margin:0;padding-left:1rem;border-left:4px solid #ccc;font-style:italic}
.block-key-figures{background:#f3f5f8;padding:.75rem 1rem;margin:1.5rem 0}
.block-key-figures dl{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.75rem}
.block-key-figures dt{font-size:1.5rem;font-weight:700}.block-key-figures dd{margin:0}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ddd;padding:.35rem .5rem;text-align:left}
.embed-frame iframe{max-width:100%}
.pagination{display:flex;gap:1rem}
.site-footer{border-top:1px solid #ddd;margin-top:3rem}
`;
