// The search page. Everything shown comes from the index and is inserted as text (text nodes,
// textContent), never as HTML: a document holding <script> shows those characters.
"use strict";

const LIMIT = 10;
const $ = (id) => document.getElementById(id);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

// The page's words: the catalogue of its language (src/serve/page/locales/*.ftl), which the
// server made into patterns and put in the page; what comes from the results (counts, dates,
// percentages, language names) is written by the browser in that language's conventions.
const PAGE_LANGUAGE = document.documentElement.lang || "en";
// Numbers and dates in the reader's own variant of the page's language when the browser names
// one (en-GB writes the day first, de-CH groups thousands with apostrophes, zh-HK is not zh-TW).
const LOCALE = (() => {
  const page = new Intl.Locale(PAGE_LANGUAGE).maximize();
  for (const tag of navigator.languages || []) {
    try {
      const asked = new Intl.Locale(tag).maximize();
      if (asked.language === page.language && asked.script === page.script) return tag;
    } catch (_) { /* not a language tag */ }
  }
  return PAGE_LANGUAGE;
})();
const MESSAGES = JSON.parse($("messages").textContent);
const plurals = new Intl.PluralRules(LOCALE);
const numbers = new Intl.NumberFormat(LOCALE);
const percents = new Intl.NumberFormat(LOCALE, { style: "percent", maximumFractionDigits: 0 });
const languageNames = new Intl.DisplayNames([PAGE_LANGUAGE], { type: "language", fallback: "code" });

// Values one after another (names, terms), as the page's language separates them.
function listed(values) {
  return values.join(t("list-separator"));
}

// Message `key` filled with `args`: as nodes (a variable may be an element), or as text.
function nodes(key, args) {
  return pieces(Object.hasOwn(MESSAGES, key) ? MESSAGES[key] : [key], args || {});
}

function t(key, args) {
  return nodes(key, args).join("");
}

// A pattern's pieces: its text, its variables (a number in the locale; a node as it is), and
// of each selection the variant named by the value as written, else by its plural category.
function pieces(pattern, args) {
  const out = [];
  for (const part of pattern) {
    if (typeof part === "string") {
      out.push(part);
    } else if (part.var !== undefined) {
      const value = args[part.var];
      out.push(typeof value === "number" ? numbers.format(value)
        : value instanceof Node ? value : value === undefined || value === null ? "" : String(value));
    } else {
      const value = args[part.select];
      const has = (key) => Object.hasOwn(part.variants, key);
      const key = value !== undefined && has(String(value)) ? String(value)
        : typeof value === "number" && has(plurals.select(value)) ? plurals.select(value)
        : part.default;
      out.push(...pieces(part.variants[key], args));
    }
  }
  return out;
}

// The formats of a date at each precision, made once (a page of results writes dozens).
const DATES = {
  year: new Intl.DateTimeFormat(LOCALE, { timeZone: "UTC", year: "numeric" }),
  month: new Intl.DateTimeFormat(LOCALE, { timeZone: "UTC", year: "numeric", month: "short" }),
  day: new Intl.DateTimeFormat(LOCALE, { timeZone: "UTC", year: "numeric", month: "short", day: "numeric" }),
  time: new Intl.DateTimeFormat(LOCALE, { year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit" }),
};

// A date as the API writes it (1946, 1946-07, 1946-07-12, or RFC 3339 with a time) in the
// reader's locale, at the precision it has.
function date(text) {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(text || "");
  if (!m) {
    const when = new Date(text);
    return Number.isNaN(when.getTime()) ? text : DATES.time.format(when);
  }
  const when = new Date(0);
  when.setUTCFullYear(Number(m[1]), m[2] ? Number(m[2]) - 1 : 0, m[3] ? Number(m[3]) : 1);
  return (m[3] ? DATES.day : m[2] ? DATES.month : DATES.year).format(when);
}

// A time as the API gives it, to a tenth of a millisecond below 10, else whole.
function milliseconds(ms) {
  return Number(ms.toFixed(ms < 10 ? 1 : 0));
}

// A language's name in the page's language (`ja` is 日本語 on the Japanese page).
function languageName(code) {
  try { return languageNames.of(code) || code; } catch (_) { return code; }
}

// Why a request failed, in the page's language: the API's `code` names the message, `args`
// fill it (`detail`: the server's own words, where it has nothing more precise).
function problem(e) {
  const key = "error-" + e.code;
  if (e.code && Object.hasOwn(MESSAGES, key)) return pieces(MESSAGES[key], { detail: e.message, ...e.args }).join("");
  return e.message;
}

function failed(node, e) {
  node.replaceChildren(el("span", "error", problem(e)));
}

// What is shown, kept in the address so that a search can be shared and bookmarked.
const state = { q: "", any: false, fuzzy: false, near: false, filters: [], offset: 0, doc: null, view: "" };
let asked = 0; // the latest request: answers to older ones are dropped
let matches = []; // the document view's <mark>s
let current = -1;

function readAddress() {
  const p = new URLSearchParams(location.search);
  state.q = p.get("q") || "";
  state.any = p.get("any") === "1";
  state.fuzzy = p.get("fuzzy") === "1";
  state.near = p.get("collapse") === "near";
  state.filters = p.getAll("filter");
  state.offset = Math.max(0, parseInt(p.get("offset") || "0", 10) || 0);
  state.doc = p.get("doc");
  state.view = p.get("view") === "xref" ? "xref" : "";
}

function address() {
  const p = new URLSearchParams();
  if (state.q) p.set("q", state.q);
  if (state.any) p.set("any", "1");
  if (state.fuzzy) p.set("fuzzy", "1");
  if (state.near) p.set("collapse", "near");
  state.filters.forEach((f) => p.append("filter", f));
  if (state.offset) p.set("offset", String(state.offset));
  if (state.doc) p.set("doc", state.doc);
  if (state.view) p.set("view", state.view);
  const query = p.toString();
  return "/" + (query ? "?" + query : "");
}

function remember(push) {
  const url = address();
  if (url === location.pathname + location.search) return;
  if (push) history.pushState(null, "", url); else history.replaceState(null, "", url);
}

// The query the API gets: the typed words and the filters chosen from the facets.
function fullQuery() {
  return [state.q.trim(), ...state.filters].filter(Boolean).join(" ");
}

function options(p) {
  if (state.any) p.set("any", "1");
  if (state.fuzzy) p.set("fuzzy", "1");
  return p;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// `text` with the byte ranges `ranges` (UTF-8 offsets, as the API gives them) in <mark>s.
function marked(text, ranges, onMark) {
  const bytes = encoder.encode(text);
  const out = document.createDocumentFragment();
  let at = 0;
  for (const [from, to] of ranges) {
    if (from < at || to > bytes.length) continue;
    out.append(decoder.decode(bytes.subarray(at, from)));
    const mark = el("mark", "", decoder.decode(bytes.subarray(from, to)));
    if (onMark) onMark(mark);
    out.append(mark);
    at = to;
  }
  out.append(decoder.decode(bytes.subarray(at)));
  return out;
}

// An API error: the server's message, its code and arguments.
class ApiError extends Error {
  constructor(message, code, args) {
    super(message);
    this.code = code;
    this.args = args || {};
  }
}

async function answer(url, init) {
  try {
    return await fetch(url, { credentials: "same-origin", ...(init || {}) });
  } catch (_) {
    throw new ApiError(t("error-network"), null);
  }
}

async function refusal(response) {
  let body = null;
  try { body = await response.json(); } catch (_) { /* not JSON */ }
  return new ApiError((body && body.error) || response.statusText, body && body.code, body && body.args);
}

async function getJson(url, init) {
  const response = await answer(url, init);
  if (!response.ok) throw await refusal(response);
  return response.json();
}

async function search() {
  const mine = ++asked;
  const query = fullQuery();
  renderFilters();
  if (!query) {
    $("results").replaceChildren();
    $("facets").replaceChildren();
    renderTimeline({});
    $("summary").textContent = t("type-to-search");
    $("prev").hidden = $("next").hidden = true;
    return;
  }
  const p = options(new URLSearchParams({ q: query, limit: String(LIMIT), offset: String(state.offset), facets: "1" }));
  if (state.near) p.set("collapse", "near");
  try {
    const results = await getJson("/api/v1/search?" + p);
    if (mine !== asked) return;
    renderResults(results);
  } catch (e) {
    if (mine !== asked) return;
    $("results").replaceChildren();
    $("facets").replaceChildren();
    renderTimeline({});
    failed($("summary"), e);
    $("prev").hidden = $("next").hidden = true;
  }
}

function renderResults(results) {
  const n = results.total_hits;
  const first = state.offset + 1;
  const last = state.offset + results.hits.length;
  $("summary").textContent = n === 0 ? t("no-results")
    : t("results-count", { total: n }) + (n > results.hits.length ? " " + t("results-shown", { first, last }) : "") +
      " · " + t("elapsed", { ms: milliseconds(results.elapsed_ms) });
  $("results").replaceChildren(...results.hits.map(renderHit));
  $("prev").hidden = state.offset === 0;
  $("next").hidden = state.offset + LIMIT >= n;
  renderFacets(results.facets || {});
  renderTimeline(results.facets || {});
}

// The months' short names in the page's language, for the timeline's bars.
const months = new Intl.DateTimeFormat(LOCALE, { month: "short", timeZone: "UTC" });
const MONTH_NAMES = Array.from({ length: 12 }, (_, i) => months.format(Date.UTC(2000, i, 1)));

// The matching documents by year (the years they mention) as bars; with a year chosen
// (`year:1946` among the filters) its months (the dates written in them). A bar filters.
function renderTimeline(facets) {
  const box = $("timeline");
  const zoom = state.filters.map((f) => /^year:(\d{4})$/.exec(f)).find(Boolean);
  let bars;
  if (zoom) {
    const year = zoom[1];
    const months = facets.month || {};
    bars = MONTH_NAMES.map((name, i) => {
      const key = `${year}-${String(i + 1).padStart(2, "0")}`;
      return [date(key), months[key] || 0, `date:${key}`, name];
    });
    if (!bars.some((b) => b[1] > 0)) bars = [];
  } else {
    let years = Object.entries(facets.year || {}).sort((a, b) => a[0].localeCompare(b[0]));
    if (years.length > 60) {
      const most = new Set([...years].sort((a, b) => b[1] - a[1]).slice(0, 60).map((y) => y[0]));
      years = years.filter((y) => most.has(y[0]));
    }
    bars = years.map(([y, n]) => [date(y), n, `year:${y}`, y]);
  }
  if (bars.length === 0 || (!zoom && bars.length < 2)) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  const most = Math.max(1, ...bars.map((b) => b[1]));
  box.replaceChildren(...bars.map(([when, n, filter, label]) => {
    const bar = el("button", "bar");
    bar.type = "button";
    bar.dataset.filter = filter;
    bar.title = t("timeline-documents", { when, count: n });
    bar.setAttribute("aria-label", bar.title);
    bar.disabled = n === 0;
    const fill = el("span", "fill");
    fill.style.height = `${Math.max(2, Math.round(100 * n / most))}%`;
    bar.append(fill, el("span", "label", label));
    bar.addEventListener("click", () => {
      if (!state.filters.includes(filter)) state.filters.push(filter);
      state.offset = 0;
      remember(true);
      search();
    });
    return bar;
  }));
  box.hidden = false;
}

// A file's path and the part of it a document is (a member `!/…`, a message `(3)`).
function located(doc) {
  return doc.path + (doc.part ? (doc.part.startsWith("!/") ? doc.part : ` (${doc.part})`) : "");
}

// A link that opens document `id` in the page (a new tab with Ctrl, Cmd or Shift).
function documentLink(id, text) {
  const link = el("a", "title", text);
  link.dir = "auto";
  link.href = docAddress(id);
  link.addEventListener("click", (e) => {
    if (e.ctrlKey || e.metaKey || e.shiftKey) return;
    e.preventDefault();
    openDocument(id, true);
  });
  return link;
}

// What a document says is in its own language, not the page's: a screen reader reads an English
// title on the Japanese page with an English voice (`und`, not known: no language named).
function inLanguage(node, code) {
  node.lang = code && code !== "und" ? code : "";
  return node;
}

function renderHit(hit) {
  const li = el("li", "hit");
  const link = inLanguage(documentLink(hit.id, hit.title || hit.path), hit.lang);
  const badges = el("span", "badges");
  const badge = (text, how, title) => {
    const b = el("span", how ? "badge how" : "badge", text);
    if (title) b.title = title;
    badges.append(b);
  };
  if (hit.romanized) badge(t("badge-romanized"), true, t("badge-romanized.title"));
  hit.variants.forEach((v) => badge(t("badge-variant", { name: v }), true, t("badge-variant.title")));
  if (state.fuzzy) badge(t("badge-fuzzy"), true, t("badge-fuzzy.title"));
  if (hit.ocr) badge(t("badge-ocr", { confidence: percents.format(hit.ocr_confidence / 100) }), true, t("badge-ocr.title"));
  hit.langs.forEach((l) => badge(languageName(l), false, t("badge-language.title")));
  if (hit.date) badge(date(hit.date), false, t("badge-date.title"));
  if (hit.copies.length) badge(t("badge-copies", { count: hit.copies.length }), false, hit.copies.join("\n"));
  if (hit.near_copies.length) {
    const more = hit.near_count - hit.near_copies.length;
    badge(t("badge-near", { count: hit.near_count }), false,
      hit.near_copies.map((n) => `${located(n)} (${percents.format(n.similarity)})`).join("\n") +
      (more > 0 ? "\n" + t("badge-near-more", { count: more }) : ""));
  }
  if (hit.thread) {
    // The message's place in its e-mail thread; a click shows the whole thread.
    const thread = hit.thread;
    const place = { position: thread.position, messages: thread.messages };
    const b = el("button", "badge thread",
      thread.attached_to ? t("badge-attached", place) : t("badge-message", place));
    b.type = "button";
    b.title = t("badge-thread.title", { id: thread.id });
    b.dataset.filter = `thread:${thread.id}`;
    b.addEventListener("click", () => filterBy(`thread:${thread.id}`));
    badges.append(b);
  }
  hit.tags.forEach((tag) => {
    const b = el("span", "badge tag", "#" + tag);
    b.title = t("badge-tag.title");
    badges.append(b);
  });
  li.append(link, badges);
  if (hit.note) li.append(el("p", "note", hit.note));
  const reach = [[t("entity-names"), hit.names], [t("entity-email"), hit.entities.email],
    [t("entity-phone"), hit.entities.phone], [t("entity-iban"), hit.entities.iban]]
    .filter(([, values]) => values.length)
    .map(([kind, values]) => t("entity-values", { kind, values: listed(values.slice(0, 3)) }) +
      (values.length > 3 ? " " + t("entity-more", { count: values.length - 3 }) : ""));
  if (reach.length) li.append(el("p", "entities", reach.join(" · ")));
  li.append(el("div", "path", located(hit)));
  for (const s of hit.snippets) {
    const p = inLanguage(el("p", "snippet"), hit.lang);
    p.dir = "auto";
    if (s.page) p.append(inLanguage(el("span", "page", t("snippet-page", { page: s.page })), PAGE_LANGUAGE));
    p.append(marked(s.text, s.highlights));
    li.append(p);
  }
  return li;
}

function renderFacets(facets) {
  const groups = [["tag", t("facet-tag"), "tag:"], ["name", t("facet-name"), "name:"],
    ["lang", t("facet-lang"), "lang:"], ["year", t("facet-year"), "year:"], ["folder", t("facet-folder"), "path:"],
    ["email", t("facet-email"), "email:"], ["domain", t("facet-domain"), "domain:"],
    ["phone", t("facet-phone"), "phone:"], ["iban", t("facet-iban"), "iban:"]];
  const out = [];
  for (const [key, name, prefix] of groups) {
    const counts = Object.entries(facets[key] || {}).sort((a, b) => b[1] - a[1]).slice(0, 12);
    if (counts.length === 0) continue;
    const list = el("ul");
    for (const [value, count] of counts) {
      if (key === "folder" && (value === "." || /[\s"()]/.test(value))) continue;
      if (value.includes('"')) continue;
      const filter = prefix + (/[\s()]/.test(value) ? `"${value}"` : value);
      const button = el("button", "", key === "lang" ? languageName(value) : key === "year" ? date(value) : value);
      button.type = "button";
      button.dataset.filter = filter;
      button.addEventListener("click", () => {
        if (!state.filters.includes(filter)) state.filters.push(filter);
        state.offset = 0;
        remember(true);
        search();
      });
      const item = el("li");
      item.append(button, " ", el("span", "count", `(${numbers.format(count)})`));
      list.append(item);
    }
    if (list.children.length) out.push(el("h2", "", name), list);
  }
  const near = facets.near || { groups: 0 };
  if (near.groups > 0) {
    const toggle = el("button", "", state.near ? t("near-show-each") : t("near-fold"));
    toggle.type = "button";
    toggle.id = "near-facet";
    toggle.addEventListener("click", () => {
      state.near = !state.near;
      state.offset = 0;
      remember(true);
      show();
    });
    const item = el("li");
    item.append(t("near-groups", { groups: near.groups, documents: near.documents }) + " ", toggle);
    const list = el("ul");
    list.append(item);
    out.push(el("h2", "", t("facet-near")), list);
  }
  $("facets").replaceChildren(...out);
}

function renderFilters() {
  $("filters").replaceChildren(...state.filters.map((f) => {
    const chip = el("button", "chip", f + " ×");
    chip.type = "button";
    chip.title = t("filter-remove.title");
    chip.addEventListener("click", () => {
      state.filters = state.filters.filter((x) => x !== f);
      state.offset = 0;
      remember(true);
      search();
    });
    return chip;
  }));
}

function docAddress(id) {
  const saved = state.doc;
  state.doc = id;
  const url = address();
  state.doc = saved;
  return url;
}

let opener = null; // what had the focus when a document opened, to give it back

async function openDocument(id, push) {
  if ($("doc").hidden) opener = document.activeElement;
  state.doc = id;
  if (push) remember(true);
  $("list").hidden = true;
  $("facets").hidden = true;
  $("doc").hidden = false;
  $("doc-title").textContent = t("loading");
  $("doc-meta").textContent = "";
  $("doc-text").replaceChildren();
  $("similar").replaceChildren();
  $("similar-state").textContent = "";
  $("where").textContent = "";
  const p = options(new URLSearchParams({ q: fullQuery() }));
  try {
    const doc = await getJson(`/api/v1/documents/${encodeURIComponent(id)}?` + p);
    if (state.doc !== id) return;
    renderDocument(doc);
    // A screen reader goes on from the document's title; n and p step from there.
    if (push) $("doc-title").focus({ preventScroll: true });
  } catch (e) {
    failed($("doc-title"), e);
  }
}

function renderDocument(doc) {
  inLanguage($("doc-title"), doc.lang).textContent = doc.title || doc.path;
  const meta = [located(doc),
    listed(doc.langs.map(languageName)), doc.format, doc.author, doc.date ? date(doc.date) : null,
    doc.ocr ? t("badge-ocr", { confidence: percents.format(doc.ocr_confidence / 100) }) : null].filter(Boolean);
  $("doc-meta").textContent = meta.join(" · ");
  $("original").href = doc.original;
  renderMarks(doc);
  renderNear(doc);
  loadThread(doc);
  if ($("similar-box").open) loadSimilar(doc.id);
  const text = $("doc-text");
  inLanguage(text, doc.lang);
  matches = [];
  const body = marked(doc.text, doc.matches, (m) => matches.push(m));
  // Page breaks (form feeds) become visible rules, numbered.
  let page = 1;
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  const breaks = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.data.includes("\f")) breaks.push(node);
  }
  for (const node of breaks) {
    const parts = node.data.split("\f");
    const broken = [parts[0]];
    for (let i = 1; i < parts.length; i++) {
      page += 1;
      broken.push(el("span", "page-break", t("page-break", { page })), parts[i].replace(/^\n/, ""));
    }
    node.replaceWith(...broken);
  }
  text.replaceChildren(body);
  current = -1;
  if (matches.length) step(1); else $("where").textContent = t("no-matches-shown");
}

// Shows the results with `filter` added (a facet's value, a thread).
function filterBy(filter) {
  if (!state.filters.includes(filter)) state.filters.push(filter);
  state.offset = 0;
  if (state.doc) closeDocument(false);
  remember(true);
  search();
}

// The e-mail thread of the open document as a conversation: each message in time order,
// indented by how deep an answer it is, its attachments under it, the ones the search matches
// marked; fetched for messages and their attachments only.
async function loadThread(doc) {
  const box = $("thread-box");
  box.hidden = !doc.thread;
  $("thread-list").replaceChildren();
  $("thread-state").textContent = "";
  if (!doc.thread) return;
  // Named from the start by the count the document knows, the thread's own once it comes.
  $("thread-summary").textContent = t("thread-summary", { count: doc.thread.messages });
  $("thread-state").textContent = t("loading");
  const p = options(new URLSearchParams({ q: fullQuery() }));
  try {
    const thread = await getJson(`/api/v1/documents/${encodeURIComponent(doc.id)}/thread?` + p);
    if (state.doc !== doc.id) return;
    const entry = (item, what) => {
      const li = el("li", what + (item.matches ? " match" : "") + (item.opened ? " opened" : ""));
      li.dir = "auto";
      const byline = [item.date ? date(item.date) : null, item.author].filter(Boolean).join(" · ");
      if (byline) li.append(el("span", "byline", byline), " ");
      // An attachment by its file name, as the message lists it; a message by its subject.
      const name = what === "attachment" && item.part ? item.part.split("!/").pop() : item.title;
      const link = documentLink(item.id, name || located(item));
      if (item.title && item.title !== name) link.title = item.title;
      li.append(link);
      if (item.matches) li.append(" ", el("span", "badge how", t("thread-matches")));
      if (item.opened) li.setAttribute("aria-current", "true");
      return li;
    };
    $("thread-list").replaceChildren(...thread.messages.map((m) => {
      const li = entry(m, "message");
      li.style.marginInlineStart = `${Math.min(m.depth, 8) * 1.2}rem`;
      if (m.attachments.length) {
        li.append(el("ul", "attachments"));
        li.lastChild.replaceChildren(...m.attachments.map((a) => entry(a, "attachment")));
      }
      return li;
    }));
    const matching = thread.messages.filter((m) => m.matches).length;
    $("thread-summary").textContent = t("thread-summary", { count: thread.total });
    $("thread-state").textContent = [
      state.q.trim() || state.filters.length ? t("thread-matching", { matching }) : "",
      thread.cut ? t("thread-cut", { shown: thread.messages.length, total: thread.total }) : "",
    ].filter(Boolean).join(" ");
    $("thread-only").onclick = () => filterBy(`thread:${thread.thread}`);
  } catch (e) {
    failed($("thread-state"), e);
  }
}

// The documents whose text is nearly the same as the open one's: the scan of a typed letter,
// a draft, a forwarded copy.
function renderNear(doc) {
  $("near-box").hidden = doc.near_copies.length === 0;
  $("near-summary").textContent = t("near-summary", { count: doc.near_copies.length });
  $("near-list").replaceChildren(...doc.near_copies.map((n) => {
    const li = el("li");
    const link = documentLink(n.id, located(n));
    li.append(link, " ", el("span", "similarity", t("near-similarity", { percent: percents.format(n.similarity) })));
    return li;
  }));
}

// The documents most like the one open, each with the terms it shares; fetched when the panel
// is opened (and for each document opened while it stays open).
async function loadSimilar(id) {
  $("similar-state").textContent = t("loading");
  try {
    const like = await getJson(`/api/v1/documents/${encodeURIComponent(id)}/similar`);
    if (state.doc !== id) return;
    $("similar").replaceChildren(...like.hits.map((hit) => {
      const li = el("li");
      const link = documentLink(hit.id, hit.title || hit.path);
      const shared = el("span", "shared", listed(hit.shared));
      shared.dir = "auto";
      li.append(link, " ", el("span", "path", located(hit)), el("br"), shared);
      return li;
    }));
    $("similar-state").textContent = like.hits.length
      ? t("similar-found", { terms: listed(like.terms.slice(0, 10)) }) : t("similar-none");
  } catch (e) {
    failed($("similar-state"), e);
  }
}

$("similar-box").addEventListener("toggle", () => {
  if ($("similar-box").open && state.doc && !$("similar").children.length) loadSimilar(state.doc);
});

let shown = null; // the document open, for its marks

function renderMarks(doc) {
  shown = doc;
  $("doc-tags").replaceChildren(...doc.tags.map((tag) => {
    const chip = el("button", "chip", "#" + tag + " ×");
    chip.type = "button";
    chip.title = t("tag-remove.title");
    chip.addEventListener("click", () => changeTag(tag, "DELETE"));
    return chip;
  }));
  $("note").value = doc.note || "";
  $("note-box").open = Boolean(doc.note);
  $("note-state").textContent = "";
}

// Writes carry a header a page of another site cannot send.
const WRITE = { "X-Archivist-Write": "1" };

async function changeTag(tag, method) {
  if (!shown || !tag.trim()) return;
  const url = `/api/v1/documents/${encodeURIComponent(shown.id)}/tags?` + new URLSearchParams({ tag: tag.trim() });
  try {
    const marks = await getJson(url, { method, headers: WRITE });
    renderMarks({ ...shown, ...marks });
  } catch (e) {
    failed($("note-state"), e);
  }
}

$("new-tag").addEventListener("keydown", (e) => {
  if (e.key !== "Enter") return;
  e.preventDefault();
  const tag = $("new-tag").value;
  $("new-tag").value = "";
  changeTag(tag, "POST");
});

$("save-note").addEventListener("click", async () => {
  if (!shown) return;
  const text = $("note").value;
  const url = `/api/v1/documents/${encodeURIComponent(shown.id)}/note`;
  try {
    const marks = await getJson(url, text.trim()
      ? { method: "PUT", headers: { ...WRITE, "Content-Type": "text/plain; charset=utf-8" }, body: text }
      : { method: "DELETE", headers: WRITE });
    renderMarks({ ...shown, ...marks });
    $("note-state").textContent = t("note-saved");
  } catch (e) {
    failed($("note-state"), e);
  }
});

function step(by) {
  if (!matches.length) return;
  if (current >= 0) matches[current].classList.remove("current");
  current = (current + by + matches.length) % matches.length;
  const mark = matches[current];
  mark.classList.add("current");
  mark.scrollIntoView({ block: "center" });
  $("where").textContent = t("match-position", { current: current + 1, total: matches.length });
}

function closeDocument(push) {
  const wasOpen = !$("doc").hidden;
  state.doc = null;
  if (push) remember(true);
  $("doc").hidden = true;
  $("list").hidden = false;
  $("facets").hidden = false;
  if (wasOpen && push) (opener && opener.isConnected ? opener : $("list")).focus();
}

function show() {
  readAddress();
  $("q").value = state.q;
  $("any").checked = state.any;
  $("fuzzy").checked = state.fuzzy;
  $("near").checked = state.near;
  $("xref").hidden = state.view !== "xref";
  if (state.view === "xref") {
    $("list").hidden = $("facets").hidden = $("doc").hidden = true;
    return;
  }
  search();
  if (state.doc) openDocument(state.doc, false); else closeDocument(false);
}

// Cross-referencing: the pasted list, sent as CSV when its first line names a `name` column.
function xrefRequest(format) {
  const list = $("xref-list").value;
  const header = (list.split("\n")[0] || "").toLowerCase().split(",").map((c) => c.trim());
  const p = new URLSearchParams({ format, list: header.includes("name") ? "csv" : "lines" });
  if ($("xref-fuzzy").checked) p.set("fuzzy", "1");
  return ["/api/v1/xref?" + p, {
    method: "POST", credentials: "same-origin",
    headers: { ...WRITE, "Content-Type": "text/plain; charset=utf-8" }, body: list,
  }];
}

async function crossReference() {
  if (!$("xref-list").value.trim()) { $("xref-state").textContent = t("xref-empty"); return; }
  $("xref-state").textContent = t("xref-searching");
  try {
    const [url, init] = xrefRequest("json");
    const result = await getJson(url, init);
    const found = result.names.filter((n) => n.documents > 0).length;
    $("xref-state").textContent = t("xref-found",
      { found, total: result.names.length, elapsed: t("elapsed", { ms: milliseconds(result.elapsed_ms) }) });
    $("xref-rows").replaceChildren(...result.names.map(renderXrefName));
    $("xref-table").hidden = false;
  } catch (e) {
    failed($("xref-state"), e);
  }
}

function renderXrefName(name) {
  const tr = el("tr");
  const who = el("td");
  who.dir = "auto";
  who.append(el("strong", "", name.name));
  if (name.aliases.length) who.append(el("div", "path", t("xref-also", { aliases: listed(name.aliases) })));
  if (name.note) who.append(el("div", "note", name.note));
  const count = el("td", "count", numbers.format(name.documents));
  const best = el("td");
  if (!name.matches.length) best.append(el("span", "none", t("xref-not-mentioned")));
  for (const m of name.matches) {
    const p = el("div", "match");
    p.dir = "auto";
    const how = matchedHow(m.how) + (m.distance !== null ? " " + t("xref-distance", { distance: m.distance }) : "") +
      (m.how === "exact" ? "" : `: ${m.found || m.form}`);
    p.append(el("span", "badge how", how), " ");
    // In a tab of its own, so the table stays.
    const link = el("a", "title", m.title || m.path);
    link.href = "/?" + new URLSearchParams({ doc: m.id });
    link.target = "_blank";
    link.rel = "noopener";
    p.append(link, el("p", "snippet"));
    p.lastChild.append(marked(m.snippet.text, m.snippet.highlights));
    best.append(p);
  }
  tr.append(who, count, best);
  return tr;
}

// How a name was found (`xref`'s `how`), in the page's language.
function matchedHow(how) {
  switch (how) {
    case "exact": return t("xref-how-exact");
    case "variant": return t("xref-how-variant");
    case "romanized": return t("xref-how-romanized");
    case "stem": return t("xref-how-stem");
    case "fuzzy": return t("xref-how-fuzzy");
    default: return how;
  }
}

async function exportXref() {
  if (!$("xref-list").value.trim()) return;
  $("xref-state").textContent = t("xref-exporting");
  try {
    const [url, init] = xrefRequest("csv");
    const response = await answer(url, init);
    if (!response.ok) throw await refusal(response);
    const link = el("a");
    link.href = URL.createObjectURL(await response.blob());
    link.download = "xref.csv";
    document.body.append(link);
    link.click();
    link.remove();
    $("xref-state").textContent = t("xref-exported");
  } catch (e) {
    failed($("xref-state"), e);
  }
}

$("xref-help").replaceChildren(...nodes("xref-help", {
  name: el("code", "", "name"), aliases: el("code", "", "aliases"), separator: el("code", "", ";"), note: el("code", "", "note"),
}));
$("xref-run").addEventListener("click", crossReference);
$("xref-export").addEventListener("click", exportXref);
$("xref-open").addEventListener("click", (e) => {
  if (e.ctrlKey || e.metaKey || e.shiftKey) return;
  e.preventDefault();
  state.view = "xref";
  state.doc = null;
  remember(true);
  show();
  $("xref-list").focus();
});

let typing = null;
$("q").addEventListener("input", () => {
  clearTimeout(typing);
  typing = setTimeout(() => {
    state.q = $("q").value;
    state.offset = 0;
    if (state.doc) closeDocument(false);
    remember(false);
    search();
  }, 250);
});
$("search").addEventListener("submit", (e) => {
  e.preventDefault();
  clearTimeout(typing);
  state.q = $("q").value;
  state.offset = 0;
  closeDocument(false);
  remember(true);
  search();
});
for (const id of ["any", "fuzzy", "near"]) {
  $(id).addEventListener("change", () => {
    state[id] = $(id).checked;
    state.offset = 0;
    remember(true);
    search();
  });
}
$("prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - LIMIT); remember(true); search(); scrollTo(0, 0); });
$("next").addEventListener("click", () => { state.offset += LIMIT; remember(true); search(); scrollTo(0, 0); });
$("close").addEventListener("click", () => closeDocument(true));
$("next-match").addEventListener("click", () => step(1));
$("prev-match").addEventListener("click", () => step(-1));
window.addEventListener("popstate", show);

// The language switch: kept in a cookie the server reads, so that the page comes in that
// language from then on (the address, and so the search, stays).
for (const button of document.querySelectorAll("#page-language button")) {
  button.addEventListener("click", (e) => {
    document.cookie = `archivist_lang=${encodeURIComponent(e.currentTarget.dataset.lang)}; path=/; max-age=31536000; samesite=strict`;
    location.reload();
  });
}

// The document's bar sticks under the header, whose height depends on the words of the
// language and on the width of the window.
const header = document.querySelector("header");
new ResizeObserver(() => {
  document.documentElement.style.setProperty("--header", `${header.offsetHeight}px`);
}).observe(header);

document.addEventListener("keydown", (e) => {
  const typingInField = e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement;
  if (e.key === "Escape") {
    if ($("page-language").open) {
      $("page-language").open = false;
      $("page-language").querySelector("summary").focus();
    } else if (!$("doc").hidden) closeDocument(true); else if (typingInField) e.target.blur();
    return;
  }
  if (typingInField || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === "/") { e.preventDefault(); $("q").focus(); $("q").select(); return; }
  if (!$("doc").hidden) {
    if (e.key === "n") step(1);
    else if (e.key === "p") step(-1);
    return;
  }
  if (e.key === "j" || e.key === "k") {
    const links = [...document.querySelectorAll(".hit a.title")];
    if (!links.length) return;
    const at = links.indexOf(document.activeElement);
    const next = e.key === "j" ? Math.min(links.length - 1, at + 1) : Math.max(0, at - 1);
    links[next].focus();
  }
});

show();
