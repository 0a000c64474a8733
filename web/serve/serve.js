// samestory serve's page: reads the JSON API only. Data is always inserted as text, never as
// markup, so article content cannot inject anything.
"use strict";

const view = document.getElementById("view");
const statusLine = document.getElementById("status");
let refreshTimer = null;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") node.textContent = v;
    else if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c != null) node.append(c);
  return node;
}

async function api(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
  if (!response.ok) throw new Error(body.error || `HTTP ${response.status}`);
  return body;
}

function showError(error) {
  view.replaceChildren(el("p", { class: "error", role: "alert", text: String(error.message || error) }));
}

function shareBar(share) {
  const pct = Math.round((share || 0) * 100);
  return el("span", { class: "share", title: `${pct}% shared copy` }, el("span", { style: `width:${pct}%` }));
}

// ---- story list ----

function searchParams() {
  const p = new URLSearchParams({ limit: "100" });
  const q = document.getElementById("q").value.trim();
  const outlet = document.getElementById("outlet").value.trim();
  if (q) p.set("q", q);
  if (outlet) p.set("outlet", outlet);
  if (document.getElementById("active").checked) p.set("active", "1");
  return p;
}

async function showStories() {
  const data = await api(`/stories?${searchParams()}`);
  const rows = data.stories.map((s) =>
    el("tr", { "data-story": String(s.id) },
      el("td", {}, el("a", { href: `#/story/${s.id}`, text: s.headline || "(untitled)" })),
      el("td", { class: "num", text: String(s.size) }),
      el("td", { class: "num", text: String(s.outlets) }),
      el("td", { text: s.first.outlet || "" }),
      el("td", { text: s.first_published || "undated" }),
      el("td", { text: s.last_published || "" }),
      el("td", {}, el("span", { class: s.active ? "badge" : "badge closed", text: s.active ? "live" : "closed" }))));
  const table = el("table", { id: "stories" },
    el("thead", {}, el("tr", {}, ...["Story", "Articles", "Outlets", "First", "First published", "Latest", ""].map(
      (h) => el("th", { text: h })))),
    el("tbody", {}, ...rows));
  view.replaceChildren(rows.length ? table : el("p", { class: "meta", text: "No stories match." }));
  statusLine.textContent = `${rows.length} stories · updated ${new Date().toLocaleTimeString()}`;
}

// ---- one story ----

async function showStory(id) {
  const s = await api(`/stories/${encodeURIComponent(id)}`);
  const chosen = new Set();
  const compare = el("button", { type: "button", disabled: "", id: "compare-selected", text: "Compare two selected",
    onclick: () => { const [a, b] = [...chosen]; location.hash = `#/compare/${encodeURIComponent(a)}/${encodeURIComponent(b)}`; } });
  const items = s.members.map((m, i) => {
    const box = el("input", { type: "checkbox", "aria-label": `select ${m.id}`,
      onchange: (e) => {
        if (e.target.checked) chosen.add(m.id); else chosen.delete(m.id);
        if (chosen.size > 2) { const first = [...chosen][0]; chosen.delete(first); items[s.members.findIndex((x) => x.id === first)].querySelector("input").checked = false; }
        if (chosen.size === 2) compare.removeAttribute("disabled"); else compare.setAttribute("disabled", "");
      } });
    const copy = m.duplicate ? el("span", { class: "badge copy", text: `${m.duplicate.relation} copy of ${m.duplicate.of || "?"}` }) : null;
    const first = s.members[0];
    return el("li", { "data-article": m.id },
      box, " ",
      el("strong", { text: m.outlet }), " ", el("span", { class: "meta", text: m.published || "undated" }), " ",
      i === 0 ? el("span", { class: "badge", text: "first" }) : null, " ", copy,
      el("div", {}, m.url ? el("a", { href: m.url, rel: "noopener noreferrer", text: m.title || m.id }) : el("span", { text: m.title || m.id })),
      el("div", { class: "meta" }, shareBar(m.shared), ` ${Math.round(m.shared * 100)}% shared · `,
        i > 0 ? el("a", { href: `#/compare/${encodeURIComponent(first.id)}/${encodeURIComponent(m.id)}`, text: "compare with the first" }) : null));
  });
  view.replaceChildren(
    el("h1", { text: s.headline || "(untitled)" }),
    el("p", { class: "meta", text: `${s.size} articles from ${s.outlets} outlets · first: ${s.first.outlet || "?"} ${s.first_published || ""} · ${s.active ? "live" : "closed"}` +
      (s.members.length < s.size ? ` · the first ${s.members.length} shown` : "") }),
    compare,
    el("ol", { class: "timeline", id: "timeline" }, ...items));
  statusLine.textContent = `story ${s.id}`;
}

// ---- two articles side by side ----

// Splits text into runs, marking the code-point ranges [begin, end) of each passage; the lines
// a passage bridges that only this side has (`inserted`: a caption, an ad line) stay inside its
// mark but are not highlighted.
function highlighted(text, ranges) {
  const chars = Array.from(text);
  const slice = (b, e) => chars.slice(b, e).join("");
  const sorted = ranges.map((r, i) => ({ ...r, i })).sort((x, y) => x.begin - y.begin);
  const pre = el("pre");
  let at = 0;
  for (const r of sorted) {
    if (r.begin < at) continue;
    if (r.begin > at) pre.append(slice(at, r.begin));
    const mark = el("mark", { class: `p${r.i % 6}`, "data-passage": String(r.i) });
    let inner = r.begin;
    for (const [b, e] of r.inserted || []) {
      if (b < inner || e > r.end) continue;
      if (b > inner) mark.append(slice(inner, b));
      mark.append(el("span", { class: "inserted", title: "only this side has this line", text: slice(b, e) }));
      inner = e;
    }
    if (inner < r.end) mark.append(slice(inner, r.end));
    pre.append(mark);
    at = r.end;
  }
  if (at < chars.length) pre.append(slice(at));
  return pre;
}

function side(article, share, ranges, testid) {
  return el("section", { class: "side", "data-testid": testid },
    el("h2", { text: article.title || article.id }),
    el("p", { class: "meta", text: `${article.outlet} · ${article.published || "undated"} · ${Math.round(share * 100)}% shared` }),
    highlighted(article.text, ranges));
}

async function showCompare(a, b) {
  const c = await api(`/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`);
  view.replaceChildren(
    el("p", {}, el("a", { href: `#/story/${c.a.story}`, text: "← story" }),
      ` · ${c.passages.length} shared passages`),
    el("div", { class: "sides" },
      side(c.a, c.a_shared, c.passages.map((p) => ({ begin: p.a_begin, end: p.a_end, inserted: p.a_inserted })), "side-a"),
      side(c.b, c.b_shared, c.passages.map((p) => ({ begin: p.b_begin, end: p.b_end, inserted: p.b_inserted })), "side-b")));
  statusLine.textContent = `${a} ↔ ${b}`;
}

// ---- routing ----

async function route() {
  clearInterval(refreshTimer);
  const parts = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  try {
    if (parts[0] === "story" && parts[1]) await showStory(parts[1]);
    else if (parts[0] === "compare" && parts[1] && parts[2]) await showCompare(parts[1], parts[2]);
    else {
      await showStories();
      // The list is live: new stories appear without a reload.
      refreshTimer = setInterval(() => showStories().catch(showError), 5000);
    }
  } catch (error) {
    showError(error);
  }
}

document.getElementById("search").addEventListener("submit", (e) => {
  e.preventDefault();
  if (location.hash && location.hash !== "#/") location.hash = "#/"; else route();
});
window.addEventListener("hashchange", route);
route();
