// The NewsLens page. Article text only ever reaches the DOM through textContent.
import init, { Corpus } from "./pkg/newslens.js";

const list = document.getElementById("articles");
const box = document.getElementById("q");
const results = document.getElementById("results");
const reader = document.getElementById("reader");
const status = document.getElementById("status");

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function show(corpus, id) {
  const a = corpus.article(id);
  reader.replaceChildren();
  if (a.publisher) reader.append(el("p", a.publisher, "publisher"));
  reader.append(el("h2", a.title, "title"));
  if (a.subtitle) reader.append(el("p", a.subtitle, "subtitle"));
  for (const c of a.captions) {
    const fig = el("figure");
    const cap = el("figcaption", c.text);
    if (c.credits.length) cap.append(" ", el("span", `(${c.credits.join("; ")})`, "credit"));
    fig.append(cap);
    reader.append(fig);
  }
  a.paragraphs.forEach((p, i) => {
    const para = el("p");
    if (i === 0 && a.dateline) para.append(el("span", a.dateline, "dateline"), " — ");
    para.append(p);
    reader.append(para);
  });
  for (const c of a.credits) reader.append(el("p", c, "contributor"));
  for (const li of list.children) li.toggleAttribute("aria-current", Number(li.dataset.id) === id);
}

function renderResults(corpus, query) {
  results.replaceChildren();
  if (!query.trim()) return;
  const r = corpus.search(query, { limit: 10 });
  status.textContent = `${r.total} of ${corpus.len()} articles match.`;
  for (const hit of r.hits) {
    const li = el("li");
    li.dataset.result = String(hit.id);
    const button = el("button", hit.title, "hit-title");
    button.type = "button";
    button.addEventListener("click", () => show(corpus, hit.id));
    const snippet = el("p", null, "snippet");
    for (const seg of hit.snippet) snippet.append(seg.highlight ? el("mark", seg.text) : seg.text);
    li.append(button, snippet);
    results.append(li);
  }
}

// A prebuilt index next to the page (written by `make site`) saves indexing at start-up;
// without one the module indexes the bundled articles itself.
async function loadCorpus() {
  try {
    const response = await fetch("index.nlix");
    if (response.ok) return Corpus.fromIndex(new Uint8Array(await response.arrayBuffer()));
  } catch {
    // No index file (or opened from disk): fall through.
  }
  return Corpus.withSeeds();
}

async function main() {
  await init();
  const corpus = await loadCorpus();
  box.addEventListener("input", () => renderResults(corpus, box.value));
  document.getElementById("search").addEventListener("submit", (e) => e.preventDefault());
  for (let id = 0; id < corpus.len(); id++) {
    const a = corpus.article(id);
    const li = el("li");
    li.dataset.id = String(id);
    const button = el("button", a.title);
    button.type = "button";
    button.addEventListener("click", () => show(corpus, id));
    li.append(button);
    list.append(li);
  }
  status.textContent = `${corpus.len()} articles ready.`;
  show(corpus, 0);
}

main().catch((e) => {
  status.textContent = `NewsLens could not start: ${e}`;
});
