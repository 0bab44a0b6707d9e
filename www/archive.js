import init, { Archive } from "./pkg/newslens.js";
import { ArchiveReader } from "./archive-reader.js";

// The archive page: a search box over a published archive. Where the archive is: `?archive=URL`,
// else `archive.json` beside the page (`newslens publish --page` writes it). Article text only
// reaches the DOM as text nodes.

const box = document.getElementById("q");
const status = document.getElementById("status");
const results = document.getElementById("results");
const panel = document.getElementById("reader");

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== null && text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

async function archiveUrl() {
  const given = new URLSearchParams(location.search).get("archive");
  if (given) return given;
  const response = await fetch("archive.json");
  if (!response.ok) throw new Error("no archive named: add ?archive=URL to the address");
  return (await response.json()).archive;
}

// Segments as text nodes: matched words marked, entity mentions tagged with their label.
function segments(parent, list) {
  for (const s of list) {
    if (s.highlight) {
      parent.append(el("mark", s.text));
    } else if (s.label) {
      const span = el("span", s.text, "entity");
      span.dataset.label = s.label;
      span.title = s.entity ?? "";
      parent.append(span);
    } else {
      parent.append(s.text);
    }
  }
  return parent;
}

// The article of a hit (its record came with the results): every field, the query marked.
function show(archive, id, query) {
  const a = archive.article(id, { query });
  panel.replaceChildren(el("h2", a.title || a.name, "title"));
  if (a.date) panel.append(el("p", a.date, "hit-date"));
  for (const f of a.fields) {
    if (f.part === "title") continue;
    panel.append(segments(el("p", null, f.part), f.segments));
  }
  panel.hidden = false;
  for (const li of results.children) li.toggleAttribute("aria-current", li.dataset.result === String(id));
}

function render(archive, r, query) {
  results.replaceChildren();
  for (const hit of r.hits) {
    const li = el("li");
    li.dataset.result = String(hit.id);
    const button = el("button", hit.title || hit.name, "hit-title");
    button.type = "button";
    li.addEventListener("click", () => show(archive, hit.id, query));
    li.append(button);
    if (hit.date) li.append(el("span", hit.date, "hit-date"));
    li.append(segments(el("p", null, "snippet"), hit.snippet));
    results.append(li);
  }
}

async function main() {
  await init();
  let reader;
  try {
    reader = await ArchiveReader.open(Archive, await archiveUrl());
  } catch (e) {
    status.textContent = `The archive could not be opened: ${e.message}`;
    return;
  }
  window.newslensArchive = reader;
  const ready = `${reader.archive.articles.toLocaleString("en")} articles in the archive.`;
  status.textContent = ready;
  document.body.dataset.ready = "yes";
  let latest = 0;
  const run = async () => {
    const query = box.value.trim();
    const mine = ++latest;
    if (!query) {
      results.replaceChildren();
      status.textContent = ready;
      return;
    }
    const [bytes, requests, t0] = [reader.bytes, reader.requests, performance.now()];
    const of = reader.archive.articles.toLocaleString("en");
    const cost = () => {
      const ms = Math.round(performance.now() - t0);
      const kb = ((reader.bytes - bytes) / 1024).toFixed(1);
      return `${ms} ms, ${reader.requests - requests} files, ${kb} KB fetched`;
    };
    try {
      // The first hits as soon as they are known (for a query of words, from the heads of
      // its terms); the count of every match after, when it needs more.
      const first = await reader.searchFirst(query, { limit: 20 });
      if (mine !== latest) return; // a later query has taken over
      render(reader.archive, first, query);
      const n = first.total.toLocaleString("en");
      if (first.exact) {
        status.textContent = `${n} of ${of} articles match (${cost()}).`;
        return;
      }
      status.textContent = `At least ${n} of ${of} articles match (${cost()}); counting them all…`;
      const r = await reader.search(query, { limit: 20 });
      if (mine !== latest) return;
      status.textContent = `${r.total.toLocaleString("en")} of ${of} articles match (${cost()}).`;
    } catch (e) {
      if (mine === latest) status.textContent = `The search failed: ${e.message}`;
    }
  };
  box.addEventListener("input", run);
  document.getElementById("search").addEventListener("submit", (e) => {
    e.preventDefault();
    run();
  });
  const q = new URLSearchParams(location.hash.replace(/^#/, "")).get("q");
  if (q) {
    box.value = q;
    run();
  }
}

main();
