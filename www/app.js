// The NewsLens page. Article text only ever reaches the DOM through textContent.
import init, { Corpus } from "./pkg/newslens.js";

const list = document.getElementById("articles");
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

async function main() {
  await init();
  const corpus = Corpus.withSeeds();
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
  status.textContent = `${corpus.len()} articles parsed in the browser.`;
  show(corpus, 0);
}

main().catch((e) => {
  status.textContent = `NewsLens could not start: ${e}`;
});
