// The search page. Everything shown comes from the index and is inserted as text (text nodes,
// textContent), never as HTML: a document holding <script> shows those characters.
"use strict";

const LIMIT = 10;
const $ = (id) => document.getElementById(id);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

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

async function getJson(url, init) {
  const response = await fetch(url, { credentials: "same-origin", ...(init || {}) });
  let body = null;
  try { body = await response.json(); } catch (_) { /* not JSON */ }
  if (!response.ok) throw new Error((body && body.error) || response.statusText);
  return body;
}

async function search() {
  const mine = ++asked;
  const query = fullQuery();
  renderFilters();
  if (!query) {
    $("results").replaceChildren();
    $("facets").replaceChildren();
    renderTimeline({});
    $("summary").textContent = "Type to search the archive.";
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
    $("summary").replaceChildren(el("span", "error", e.message));
    $("prev").hidden = $("next").hidden = true;
  }
}

function renderResults(results) {
  const n = results.total_hits;
  const first = state.offset + 1;
  const last = state.offset + results.hits.length;
  $("summary").textContent = n === 0 ? "No results."
    : `${n} result${n === 1 ? "" : "s"}` + (n > results.hits.length ? ` (${first}–${last})` : "") +
      ` · ${results.elapsed_ms} ms`;
  $("results").replaceChildren(...results.hits.map(renderHit));
  $("prev").hidden = state.offset === 0;
  $("next").hidden = state.offset + LIMIT >= n;
  renderFacets(results.facets || {});
  renderTimeline(results.facets || {});
}

const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

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
      return [key, months[key] || 0, `date:${key}`, name];
    });
    if (!bars.some((b) => b[1] > 0)) bars = [];
  } else {
    let years = Object.entries(facets.year || {}).sort((a, b) => a[0].localeCompare(b[0]));
    if (years.length > 60) {
      const most = new Set([...years].sort((a, b) => b[1] - a[1]).slice(0, 60).map((y) => y[0]));
      years = years.filter((y) => most.has(y[0]));
    }
    bars = years.map(([y, n]) => [y, n, `year:${y}`, y]);
  }
  if (bars.length === 0 || (!zoom && bars.length < 2)) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  const most = Math.max(1, ...bars.map((b) => b[1]));
  box.replaceChildren(...bars.map(([key, n, filter, label]) => {
    const bar = el("button", "bar");
    bar.type = "button";
    bar.dataset.filter = filter;
    bar.title = `${key}: ${n} document${n === 1 ? "" : "s"}`;
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

function renderHit(hit) {
  const li = el("li", "hit");
  const link = documentLink(hit.id, hit.title || hit.path);
  const badges = el("span", "badges");
  const badge = (text, how, title) => {
    const b = el("span", how ? "badge how" : "badge", text);
    if (title) b.title = title;
    badges.append(b);
  };
  if (hit.romanized) badge("romanized", true, "matched through the romanized reading");
  hit.variants.forEach((v) => badge("via " + v, true, "matched a variant name"));
  if (state.fuzzy) badge("fuzzy", true, "words a few letters off may have matched");
  if (hit.ocr) badge(`OCR ${Math.round(hit.ocr_confidence)}%`, true, "text read by OCR; Tesseract's confidence");
  hit.langs.forEach((l) => badge(l, false, "language"));
  if (hit.date) badge(hit.date, false, "date");
  if (hit.copies.length) badge(`+${hit.copies.length} copies`, false, hit.copies.join("\n"));
  if (hit.near_copies.length) {
    badge(`${hit.near_count} nearly the same`, false,
      hit.near_copies.map((n) => `${located(n)} (${Math.round(n.similarity * 100)}%)`).join("\n") +
      (hit.near_count > hit.near_copies.length ? `\n+${hit.near_count - hit.near_copies.length} more` : ""));
  }
  if (hit.thread) {
    // The message's place in its e-mail thread; a click shows the whole thread.
    const t = hit.thread;
    const b = el("button", "badge thread",
      `${t.attached_to ? "attached to message" : "message"} ${t.position} of ${t.messages}`);
    b.type = "button";
    b.title = `e-mail thread ${t.id}: show all of its messages`;
    b.dataset.filter = `thread:${t.id}`;
    b.addEventListener("click", () => filterBy(`thread:${t.id}`));
    badges.append(b);
  }
  hit.tags.forEach((t) => {
    const b = el("span", "badge tag", "#" + t);
    b.title = "your tag";
    badges.append(b);
  });
  li.append(link, badges);
  if (hit.note) li.append(el("p", "note", hit.note));
  const reach = [["names", hit.names], ["e-mail", hit.entities.email], ["phone", hit.entities.phone],
    ["IBAN", hit.entities.iban]]
    .filter(([, values]) => values.length)
    .map(([name, values]) => `${name}: ${values.slice(0, 3).join(", ")}${values.length > 3 ? ` (+${values.length - 3})` : ""}`);
  if (reach.length) li.append(el("p", "entities", reach.join(" · ")));
  li.append(el("div", "path", located(hit)));
  for (const s of hit.snippets) {
    const p = el("p", "snippet");
    p.dir = "auto";
    if (s.page) p.append(el("span", "page", `p. ${s.page}`));
    p.append(marked(s.text, s.highlights));
    li.append(p);
  }
  return li;
}

function renderFacets(facets) {
  const groups = [["tag", "Tag", "tag:"], ["name", "Name", "name:"], ["lang", "Language", "lang:"], ["year", "Year", "year:"],
    ["folder", "Folder", "path:"], ["email", "E-mail", "email:"], ["domain", "Domain", "domain:"],
    ["phone", "Phone", "phone:"], ["iban", "IBAN", "iban:"]];
  const out = [];
  for (const [key, name, prefix] of groups) {
    const counts = Object.entries(facets[key] || {}).sort((a, b) => b[1] - a[1]).slice(0, 12);
    if (counts.length === 0) continue;
    const list = el("ul");
    for (const [value, count] of counts) {
      if (key === "folder" && (value === "." || /[\s"()]/.test(value))) continue;
      if (value.includes('"')) continue;
      const filter = prefix + (/[\s()]/.test(value) ? `"${value}"` : value);
      const button = el("button", "", value);
      button.type = "button";
      button.dataset.filter = filter;
      button.addEventListener("click", () => {
        if (!state.filters.includes(filter)) state.filters.push(filter);
        state.offset = 0;
        remember(true);
        search();
      });
      const item = el("li");
      item.append(button, " ", el("span", "count", `(${count})`));
      list.append(item);
    }
    if (list.children.length) out.push(el("h2", "", name), list);
  }
  const near = facets.near || { groups: 0 };
  if (near.groups > 0) {
    const toggle = el("button", "", state.near ? "show each" : "fold them");
    toggle.type = "button";
    toggle.id = "near-facet";
    toggle.addEventListener("click", () => {
      state.near = !state.near;
      state.offset = 0;
      remember(true);
      show();
    });
    const item = el("li");
    item.append(`${near.groups} group${near.groups === 1 ? "" : "s"} of ${near.documents} documents `, toggle);
    const list = el("ul");
    list.append(item);
    out.push(el("h2", "", "Nearly the same"), list);
  }
  $("facets").replaceChildren(...out);
}

function renderFilters() {
  $("filters").replaceChildren(...state.filters.map((f) => {
    const chip = el("button", "chip", f + " ×");
    chip.type = "button";
    chip.title = "Remove this filter";
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

async function openDocument(id, push) {
  state.doc = id;
  if (push) remember(true);
  $("list").hidden = true;
  $("facets").hidden = true;
  $("doc").hidden = false;
  $("doc-title").textContent = "…";
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
  } catch (e) {
    $("doc-title").replaceChildren(el("span", "error", e.message));
  }
}

function renderDocument(doc) {
  $("doc-title").textContent = doc.title || doc.path;
  const meta = [located(doc),
    doc.langs.join(", "), doc.format, doc.author, doc.date,
    doc.ocr ? `OCR ${Math.round(doc.ocr_confidence)}%` : null].filter(Boolean);
  $("doc-meta").textContent = meta.join(" · ");
  $("original").href = doc.original;
  renderMarks(doc);
  renderNear(doc);
  loadThread(doc);
  if ($("similar-box").open) loadSimilar(doc.id);
  const text = $("doc-text");
  text.lang = doc.lang === "und" ? "" : doc.lang;
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
    const pieces = [parts[0]];
    for (let i = 1; i < parts.length; i++) {
      page += 1;
      pieces.push(el("span", "page-break", `page ${page}`), parts[i].replace(/^\n/, ""));
    }
    node.replaceWith(...pieces);
  }
  text.replaceChildren(body);
  current = -1;
  if (matches.length) step(1); else $("where").textContent = "no matches shown";
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
  $("thread-state").textContent = "…";
  const p = options(new URLSearchParams({ q: fullQuery() }));
  try {
    const thread = await getJson(`/api/v1/documents/${encodeURIComponent(doc.id)}/thread?` + p);
    if (state.doc !== doc.id) return;
    const entry = (item, what) => {
      const li = el("li", what + (item.matches ? " match" : "") + (item.opened ? " opened" : ""));
      li.dir = "auto";
      const byline = [item.date, item.author].filter(Boolean).join(" · ");
      if (byline) li.append(el("span", "byline", byline), " ");
      // An attachment by its file name, as the message lists it; a message by its subject.
      const name = what === "attachment" && item.part ? item.part.split("!/").pop() : item.title;
      const link = documentLink(item.id, name || located(item));
      if (item.title && item.title !== name) link.title = item.title;
      li.append(link);
      if (item.matches) li.append(" ", el("span", "badge how", "matches"));
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
    $("thread-count").textContent = String(thread.total);
    $("thread-state").textContent = (state.q.trim() || state.filters.length ? `${matching} of them match the search. ` : "") +
      (thread.cut ? `Only ${thread.messages.length} of ${thread.total} are shown.` : "");
    $("thread-only").onclick = () => filterBy(`thread:${thread.thread}`);
  } catch (e) {
    $("thread-state").textContent = e.message;
  }
}

// The documents whose text is nearly the same as the open one's: the scan of a typed letter,
// a draft, a forwarded copy.
function renderNear(doc) {
  $("near-box").hidden = doc.near_copies.length === 0;
  $("near-count").textContent = String(doc.near_copies.length);
  $("near-list").replaceChildren(...doc.near_copies.map((n) => {
    const li = el("li");
    const link = documentLink(n.id, located(n));
    li.append(link, " ", el("span", "similarity", `${Math.round(n.similarity * 100)}% the same`));
    return li;
  }));
}

// The documents most like the one open, each with the terms it shares; fetched when the panel
// is opened (and for each document opened while it stays open).
async function loadSimilar(id) {
  $("similar-state").textContent = "…";
  try {
    const like = await getJson(`/api/v1/documents/${encodeURIComponent(id)}/similar`);
    if (state.doc !== id) return;
    $("similar").replaceChildren(...like.hits.map((hit) => {
      const li = el("li");
      const link = documentLink(hit.id, hit.title || hit.path);
      const shared = el("span", "shared", hit.shared.join(", "));
      shared.dir = "auto";
      li.append(link, " ", el("span", "path", located(hit)), el("br"), shared);
      return li;
    }));
    $("similar-state").textContent = like.hits.length ? `Found by its terms ${like.terms.slice(0, 10).join(", ")}; under each document, the ones it shares.` : "No other document is like this one.";
  } catch (e) {
    $("similar-state").textContent = e.message;
  }
}

$("similar-box").addEventListener("toggle", () => {
  if ($("similar-box").open && state.doc && !$("similar").children.length) loadSimilar(state.doc);
});

let shown = null; // the document open, for its marks

function renderMarks(doc) {
  shown = doc;
  $("doc-tags").replaceChildren(...doc.tags.map((t) => {
    const chip = el("button", "chip", "#" + t + " ×");
    chip.type = "button";
    chip.title = "Take this tag off";
    chip.addEventListener("click", () => changeTag(t, "DELETE"));
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
    $("note-state").textContent = e.message;
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
    $("note-state").textContent = "saved";
  } catch (e) {
    $("note-state").textContent = e.message;
  }
});

function step(by) {
  if (!matches.length) return;
  if (current >= 0) matches[current].classList.remove("current");
  current = (current + by + matches.length) % matches.length;
  const mark = matches[current];
  mark.classList.add("current");
  mark.scrollIntoView({ block: "center" });
  $("where").textContent = `${current + 1} of ${matches.length}`;
}

function closeDocument(push) {
  state.doc = null;
  if (push) remember(true);
  $("doc").hidden = true;
  $("list").hidden = false;
  $("facets").hidden = false;
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
  if (!$("xref-list").value.trim()) { $("xref-state").textContent = "Paste a list of names first."; return; }
  $("xref-state").textContent = "Searching…";
  try {
    const [url, init] = xrefRequest("json");
    const result = await getJson(url, init);
    const found = result.names.filter((n) => n.documents > 0).length;
    $("xref-state").textContent = `${found} of ${result.names.length} names mentioned · ${result.elapsed_ms} ms`;
    $("xref-rows").replaceChildren(...result.names.map(renderXrefName));
    $("xref-table").hidden = false;
  } catch (e) {
    $("xref-state").replaceChildren(el("span", "error", e.message));
  }
}

function renderXrefName(name) {
  const tr = el("tr");
  const who = el("td");
  who.dir = "auto";
  who.append(el("strong", "", name.name));
  if (name.aliases.length) who.append(el("div", "path", "also " + name.aliases.join("; ")));
  if (name.note) who.append(el("div", "note", name.note));
  const count = el("td", "count", String(name.documents));
  const best = el("td");
  if (!name.matches.length) best.append(el("span", "none", "not mentioned"));
  for (const m of name.matches) {
    const p = el("div", "match");
    p.dir = "auto";
    const how = m.how + (m.distance !== null ? ` at ${m.distance}` : "") + (m.how === "exact" ? "" : `: ${m.found || m.form}`);
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

async function exportXref() {
  if (!$("xref-list").value.trim()) return;
  $("xref-state").textContent = "Exporting…";
  try {
    const [url, init] = xrefRequest("csv");
    const response = await fetch(url, init);
    if (!response.ok) throw new Error(((await response.json().catch(() => null)) || {}).error || response.statusText);
    const link = el("a");
    link.href = URL.createObjectURL(await response.blob());
    link.download = "xref.csv";
    document.body.append(link);
    link.click();
    link.remove();
    $("xref-state").textContent = "Exported xref.csv";
  } catch (e) {
    $("xref-state").replaceChildren(el("span", "error", e.message));
  }
}

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

document.addEventListener("keydown", (e) => {
  const typingInField = e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement;
  if (e.key === "Escape") {
    if (!$("doc").hidden) closeDocument(true); else if (typingInField) e.target.blur();
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
