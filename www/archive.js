import init, { Archive } from "./pkg/newslens.js";
import { ArchiveReader } from "./archive-reader.js";

// The archive page: a search box over a published archive. Where the archive is: `?archive=URL`,
// else `archive.json` beside the page (`newslens publish --page` writes it). Article text only
// reaches the DOM as text nodes.

const box = document.getElementById("q");
const status = document.getElementById("status");
const results = document.getElementById("results");

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

function render(r) {
  results.replaceChildren();
  for (const hit of r.hits) {
    const li = el("li");
    li.dataset.result = String(hit.id);
    li.append(el("span", hit.title || hit.name, "hit-title"));
    if (hit.date) li.append(el("span", hit.date, "hit-date"));
    const snippet = el("p", null, "snippet");
    for (const s of hit.snippet) {
      if (s.highlight) {
        snippet.append(el("mark", s.text));
      } else if (s.label) {
        const span = el("span", s.text, "entity");
        span.dataset.label = s.label;
        span.title = s.entity ?? "";
        snippet.append(span);
      } else {
        snippet.append(s.text);
      }
    }
    li.append(snippet);
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
    try {
      const r = await reader.search(query, { limit: 20 });
      if (mine !== latest) return; // a later query has taken over
      render(r);
      const ms = Math.round(performance.now() - t0);
      const kb = ((reader.bytes - bytes) / 1024).toFixed(1);
      status.textContent = `${r.total.toLocaleString("en")} of ${reader.archive.articles.toLocaleString("en")} articles match (${ms} ms, ${reader.requests - requests} files, ${kb} KB fetched).`;
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
