/**
 * The SDK: what every Situation Desk frontend does with the API, typed against the contract.
 *
 *   const api = createSituationDeskClient("https://cms.example.org");
 *   const found = await findByPath(api, "/be/situacyja-u-bielarusi/2023-09-11/");
 *   if (found.kind === "page") {
 *     languageSwitch(found.page);   // → [{locale: "en", href: "/situation-in-belarus/…"}, …]
 *     fallbackBadge(found.page);    // → {label: "Па-руску", …} for a Russian page in BE/RU
 *   }
 *
 * Everything here reads only the contract's fields; no function knows the CMS's settings.
 * The edition a path gets (e.g. `/be/…`: Belarusian, else Russian, marked) is the API's
 * decision: a page says what it answers for (`meta.locale`) and what its text is in
 * (`meta.served_locale`, `meta.fallback`).
 */
import type { ApiError, Locale, Page, PageMeta, SituationDeskClient } from "./client";
import type { components } from "./schema";

// ---- paths and languages -------------------------------------------------------------------

/** The languages, in the contract's order (English, Belarusian, Russian). */
export const LOCALES: readonly Locale[] = ["en", "be", "ru"];

export const LANGUAGE_NAMES: Readonly<Record<Locale, string>> = {
  en: "English",
  be: "Беларуская",
  ru: "Русский",
};

const PREFIXED: readonly Locale[] = ["be", "ru"];

/** The language whose URL space a frontend path is in: `/be/…` and `/ru/…`, else English. */
export function localeOfPath(path: string): Locale {
  const first = path.split("/")[1] ?? "";
  return PREFIXED.find((code) => code === first) ?? "en";
}

/** The home page's path of a language: `/`, `/be/`, `/ru/`. */
export function homePath(locale: Locale): string {
  return locale === "en" ? "/" : `/${locale}/`;
}

/** An API error answer, for the cases a helper has no typed outcome for (e.g. a 503). */
export class SituationDeskApiError extends Error {
  readonly status: number;
  readonly body: ApiError | undefined;

  constructor(status: number, body: ApiError | undefined, what: string) {
    super(`${what}: ${status} ${body?.message ?? ""}`.trim());
    this.name = "SituationDeskApiError";
    this.status = status;
    this.body = body;
  }
}

// ---- find by path ----------------------------------------------------------------------------

export type FindResult =
  | { kind: "page"; page: Page }
  | { kind: "redirect"; location: string; permanent: boolean }
  | { kind: "not_found"; message: string };

export interface FindOptions {
  /** Whether the path's edition borrows pages; default: the API's (true for `/be/…`). */
  fallback?: boolean;
  /** Look up `/api/v2/redirects/find/` when no page is there (default true). */
  redirects?: boolean;
  signal?: AbortSignal;
}

/**
 * The page a frontend path names, in that path's edition — a borrowed page included (a Russian
 * article at its `/be/…` path comes back with `meta.fallback`) — or where an old path now leads,
 * or "not found". A path the API refuses (400: not a path of this site) is not found either.
 * Other failures (503, network) throw.
 */
export async function findByPath(
  api: SituationDeskClient,
  htmlPath: string,
  options: FindOptions = {},
): Promise<FindResult> {
  const query = {
    html_path: htmlPath,
    ...(options.fallback === undefined ? {} : { fallback: options.fallback }),
  };
  const found = await api.GET("/api/v2/pages/find/", {
    params: { query },
    signal: options.signal,
  });
  if (found.data) return { kind: "page", page: found.data };
  const status = found.response.status;
  if (status !== 404 && status !== 400) {
    throw new SituationDeskApiError(status, found.error, "pages/find");
  }
  const message = found.error?.message ?? "No page at this path.";
  if (options.redirects === false || status === 400) return { kind: "not_found", message };

  const redirect = await api.GET("/api/v2/redirects/find/", {
    params: { query: { html_path: htmlPath } },
    signal: options.signal,
  });
  if (redirect.data) {
    return {
      kind: "redirect",
      location: redirect.data.location,
      permanent: redirect.data.is_permanent,
    };
  }
  const redirectStatus = redirect.response.status;
  if (redirectStatus !== 404 && redirectStatus !== 400) {
    throw new SituationDeskApiError(redirectStatus, redirect.error, "redirects/find");
  }
  return { kind: "not_found", message };
}

// ---- the language switch -----------------------------------------------------------------

export type LanguageLinkStatus =
  /** The language being read. */
  | "current"
  /** The page exists, live, in that language. */
  | "live"
  /** That edition shows the page in another language (e.g. BE/RU: in Russian). */
  | "borrowed"
  /** The page is not in that language: the link leads to that language's home page. */
  | "missing";

export interface LanguageLink {
  locale: Locale;
  /** The language's own name, for the link text. */
  name: string;
  /** Frontend path to link to. */
  href: string;
  status: LanguageLinkStatus;
}

interface HasMeta {
  meta: Pick<PageMeta, "locale" | "path" | "translations">;
}

/**
 * The language switch of a page, from its `meta.translations` (no request): one link per
 * language, in the contract's order. A language the page is missing in links to
 * `whenMissing(locale)` — that language's home page unless told otherwise — with status
 * `missing`; `resolveMissingLanguages` can do better where an edition borrows.
 */
export function languageSwitch(
  page: HasMeta,
  whenMissing: (locale: Locale) => string = homePath,
): LanguageLink[] {
  const reading = page.meta.locale;
  const links: LanguageLink[] = [];
  for (const locale of LOCALES) {
    const name = LANGUAGE_NAMES[locale];
    if (locale === reading) {
      links.push({ locale, name, href: page.meta.path ?? homePath(locale), status: "current" });
      continue;
    }
    const translation = page.meta.translations.find((link) => link.locale === locale);
    if (translation?.status === "live") {
      links.push({ locale, name, href: translation.path, status: "live" });
    } else {
      links.push({ locale, name, href: whenMissing(locale), status: "missing" });
    }
  }
  return links;
}

/**
 * The switch with its missing languages looked up in their editions: where an edition shows the
 * page in another language (the BE/RU edition's Russian article when there is no Belarusian
 * one), the link leads there, status `borrowed`. One request per missing language; a language
 * whose edition has nothing stays `missing`.
 */
export async function resolveMissingLanguages(
  api: SituationDeskClient,
  page: HasMeta & { id: number },
  links: LanguageLink[] = languageSwitch(page),
): Promise<LanguageLink[]> {
  return Promise.all(
    links.map(async (link) => {
      if (link.status !== "missing") return link;
      const { data } = await api.GET("/api/v2/pages/{id}/", {
        params: { path: { id: page.id }, query: { locale: link.locale } },
      });
      if (data && data.meta.locale === link.locale && data.meta.path) {
        const status: LanguageLinkStatus = data.meta.fallback ? "borrowed" : "live";
        return { ...link, href: data.meta.path, status };
      }
      return link;
    }),
  );
}

// ---- fallback badges ---------------------------------------------------------------------

export interface FallbackBadge {
  /** The edition's language (the interface's). */
  requested: Locale;
  /** The language of the text. */
  served: Locale;
  /** Short, for a badge: «Па-руску». */
  label: string;
  /** A sentence, for a title or a note above the text. */
  explanation: string;
}

// In the reader's language: [badge, sentence] for a text served in another language. The
// badges are the newsletter's (digest/newsletter/locale).
const FALLBACK_LABELS: Record<Locale, Record<Locale, [string, string]>> = {
  en: {
    en: ["In English", ""],
    be: ["In Belarusian", "Not available in English yet: you are reading it in Belarusian."],
    ru: ["In Russian", "Not available in English yet: you are reading it in Russian."],
  },
  be: {
    en: ["Па-англійску", "Гэтага тэксту яшчэ няма па-беларуску: вы чытаеце яго па-англійску."],
    be: ["Па-беларуску", ""],
    ru: ["Па-руску", "Гэтага тэксту яшчэ няма па-беларуску: вы чытаеце яго па-руску."],
  },
  ru: {
    en: ["На английском", "Этого текста пока нет на русском: вы читаете его на английском."],
    be: ["На белорусском", "Этого текста пока нет на русском: вы читаете его на белорусском."],
    ru: ["На русском", ""],
  },
};

/**
 * The badge for a page or summary served in another language than its edition's — a Russian
 * article in the Belarusian edition — or null when the text is in the reader's language.
 */
export function fallbackBadge(item: {
  meta: Pick<PageMeta, "locale" | "served_locale" | "fallback">;
}): FallbackBadge | null {
  const { locale: requested, served_locale: served } = item.meta;
  if (served === requested) return null;
  const [label, explanation] = FALLBACK_LABELS[requested][served];
  return { requested, served, label, explanation };
}

// ---- preview -----------------------------------------------------------------------------

export type PreviewRefusal = "invalid" | "expired" | "revoked" | "outdated";

export interface PreviewQuery {
  content_type: string;
  token: string;
}

export type PreviewResult =
  | { kind: "page"; page: Page }
  | { kind: "refused"; code: PreviewRefusal; message: string };

/**
 * The preview query the admin's Preview button sends (wagtail-headless-preview:
 * `FRONTEND_PREVIEW_URL?content_type=digest.articlepage&token=…`), or null without one.
 */
export function previewQuery(search: string | URLSearchParams): PreviewQuery | null {
  const query = typeof search === "string" ? new URLSearchParams(search) : search;
  const contentType = query.get("content_type");
  const token = query.get("token");
  if (!contentType || !token) return null;
  return { content_type: contentType, token };
}

const REFUSALS: readonly PreviewRefusal[] = ["invalid", "expired", "revoked", "outdated"];

/**
 * The draft a preview token stands for, rendered by the API exactly as the live page would be,
 * or why it is refused: `invalid` (no such token or a malformed query), `expired` (24 hours),
 * `revoked` (the page is gone or its editor may no longer edit it), `outdated` (a later draft).
 */
export async function fetchPreview(
  api: SituationDeskClient,
  query: PreviewQuery,
  options: { signal?: AbortSignal } = {},
): Promise<PreviewResult> {
  const { data, error, response } = await api.GET("/api/v2/page_preview/", {
    params: { query },
    signal: options.signal,
    cache: "no-store",
  });
  if (data) return { kind: "page", page: data };
  if (response.status === 404 || response.status === 400) {
    const code = REFUSALS.find((refusal) => refusal === error?.code) ?? "invalid";
    return { kind: "refused", code, message: error?.message ?? "No preview for this token." };
  }
  throw new SituationDeskApiError(response.status, error, "page_preview");
}

// ---- incremental builds: the change feed --------------------------------------------------

export type PageChange = components["schemas"]["PageChange"];

/** What a static build does since its last cursor — or that it must start over. */
export type RebuildPlan =
  | {
      kind: "changes";
      /** Keep it: the next build asks `planRebuild(api, cursor)`. */
      cursor: string;
      /** Paths to render again: the changed pages in every language and the pages listing them. */
      rebuild: string[];
      /** Paths readers can no longer open: delete their files. */
      remove: string[];
      changes: PageChange[];
    }
  | { kind: "full_rebuild"; message: string };

/**
 * Where the change feed stands now. A first build asks this *before* it builds everything, then
 * follows the feed from it with `planRebuild` (what changed meanwhile is replayed: harmless).
 */
export async function currentCursor(
  api: SituationDeskClient,
  options: { signal?: AbortSignal } = {},
): Promise<string> {
  const { data, error, response } = await api.GET("/api/v2/changes/", { signal: options.signal });
  if (!data) throw new SituationDeskApiError(response.status, error, "changes");
  return data.meta.cursor;
}

/** `/be/a/b/` → `/be/a/`, `/be/`: the week, archive and home page that list a page. */
export function listingPaths(path: string): string[] {
  const segments = path.split("/").filter(Boolean);
  const prefixes: string[] = [];
  for (let length = segments.length - 1; length >= 0; length -= 1) {
    prefixes.push(`/${segments.slice(0, length).map((part) => `${part}/`).join("")}`);
  }
  return prefixes;
}

/**
 * Every change since `since`, page after page of the feed, as one plan: what to render again
 * (each changed page's paths in every language and their listing pages) and what to delete.
 * A cursor the CMS no longer has (410 `full_rebuild`) says so instead.
 */
export async function planRebuild(
  api: SituationDeskClient,
  since: string,
  options: { limit?: number; signal?: AbortSignal } = {},
): Promise<RebuildPlan> {
  const changes: PageChange[] = [];
  let cursor = since;
  for (;;) {
    const { data, error, response } = await api.GET("/api/v2/changes/", {
      params: { query: { since: cursor, ...(options.limit ? { limit: options.limit } : {}) } },
      signal: options.signal,
    });
    if (response.status === 410 && error?.code === "full_rebuild") {
      return { kind: "full_rebuild", message: error.message };
    }
    if (!data) throw new SituationDeskApiError(response.status, error, "changes");
    changes.push(...data.items);
    cursor = data.meta.cursor;
    if (!data.meta.has_more) break;
  }
  // Each page as it is now: its latest change's paths (created then unpublished: gone).
  const latest = new Map<number, PageChange>();
  for (const change of changes) latest.set(change.page_id, change);
  const rebuild = new Set<string>();
  for (const change of latest.values()) {
    for (const path of Object.values(change.paths)) {
      if (path === null) continue;
      rebuild.add(path);
      for (const listing of listingPaths(path)) rebuild.add(listing);
    }
  }
  const removed = changes.flatMap((change) => change.removed_paths);
  const remove = new Set(removed.filter((path) => !rebuild.has(path)));
  // What listed a page that is gone lists it no more.
  for (const path of remove) for (const listing of listingPaths(path)) rebuild.add(listing);
  return { kind: "changes", cursor, rebuild: [...rebuild].sort(), remove: [...remove].sort(), changes };
}

// ---- webhooks ----------------------------------------------------------------------------

/** The header the CMS signs webhook bodies in (core/webhooks.py). */
export const WEBHOOK_SIGNATURE_HEADER = "X-Situation-Desk-Signature";

type Bytes = string | Uint8Array | ArrayBuffer;

function bytesOf(body: Bytes): Uint8Array<ArrayBuffer> {
  if (typeof body === "string") return new TextEncoder().encode(body);
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  // A view of a SharedArrayBuffer is copied: WebCrypto takes only unshared memory.
  return body.buffer instanceof ArrayBuffer
    ? (body as Uint8Array<ArrayBuffer>)
    : Uint8Array.from(body);
}

function hmacKey(secret: string, usage: "sign" | "verify"): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    [usage],
  );
}

/** `sha256=<hex>`: what the CMS sends for `body` signed with `secret` (for tests and tools). */
export async function signWebhookBody(body: Bytes, secret: string): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret, "sign"), bytesOf(body));
  const hex = Array.from(new Uint8Array(mac), (byte) => byte.toString(16).padStart(2, "0"));
  return `sha256=${hex.join("")}`;
}

/**
 * Whether `signatureHeader` (the `X-Situation-Desk-Signature` value) is the CMS's signature of
 * exactly `body` — pass the raw request bytes, not re-serialized JSON — with `secret`.
 *
 * WebCrypto (`crypto.subtle`, global in Node 20+, Deno, Bun, Workers and browsers) compares the
 * MAC in constant time inside `verify`; only the header's well-formedness, which is no secret,
 * is checked before that.
 */
export async function verifyWebhookSignature(
  body: Bytes,
  signatureHeader: string | null | undefined,
  secret: string,
): Promise<boolean> {
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(signatureHeader?.trim() ?? "");
  if (!match?.[1] || !secret) return false;
  const hex = match[1];
  const mac = new Uint8Array(32);
  for (let index = 0; index < 32; index += 1) {
    mac[index] = Number.parseInt(hex.slice(index * 2, index * 2 + 2), 16);
  }
  return crypto.subtle.verify("HMAC", await hmacKey(secret, "verify"), mac, bytesOf(body));
}
