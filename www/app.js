import init, { Corpus } from "./pkg/newslens.js";

// The NewsLens page: search as you type, a reader with entity marks, an entity panel, and
// articles of your own kept in this browser (IndexedDB).
//
// Safety: article text only ever reaches the DOM through textContent / text nodes, never as
// HTML. Offsets never appear here: the module hands over text already cut into segments.
//
// Everything lives inside `newslensPage` so that the page can also be bundled into one file
// (`target/newslens.html`) next to the module's own top-level names.

async function newslensPage() {
  const $ = (id) => document.getElementById(id);
  const box = $("q");
  const results = $("results");
  const reader = $("reader");
  const status = $("status");
  const list = $("articles");
  const entityLists = $("entity-lists");
  const together = $("together");
  const picker = $("files");
  const progress = $("progress");
  const added = $("added");
  const drop = $("drop");

  // What the module says of itself, once it is loaded (`Corpus.info()`): the entity labels
  // with their names and query prefixes, the file extensions it reads, its file size limit.
  let LABELS, FILTERS, READABLE, MAX_FILE_BYTES;

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  // The first three problems, and how many more: "a; b; c and 4 more".
  const listed = (problems) =>
    problems.slice(0, 3).join("; ") + (problems.length > 3 ? ` and ${problems.length - 3} more` : "");

  function say(text) {
    status.textContent = text;
  }

  // ----- the module and the corpus -----

  function embedded(id) {
    const block = document.getElementById(id);
    if (!block) return null;
    const bin = atob(block.textContent.trim());
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return bytes;
  }

  // A prebuilt index (written by `make site`) saves indexing at start-up; without one the
  // module indexes the bundled articles itself.
  async function baseIndex() {
    const inline = embedded("nl-index");
    if (inline) return inline;
    try {
      const response = await fetch("index.nlix");
      if (response.ok) return new Uint8Array(await response.arrayBuffer());
    } catch {
      // No index file next to the page: the bundled articles are indexed here.
    }
    return null;
  }

  const wasmBytes = embedded("nl-wasm");
  await init(wasmBytes ? { module_or_path: wasmBytes } : undefined);
  const info = Corpus.info();
  LABELS = Object.fromEntries(info.labels.map((l) => [l.label, l.name]));
  FILTERS = Object.fromEntries(info.labels.filter((l) => l.filter).map((l) => [l.label, l.filter]));
  READABLE = new RegExp(`\\.(${info.extensions.join("|")})$`, "i");
  MAX_FILE_BYTES = info.maxFileBytes;
  picker.accept = info.extensions.map((e) => `.${e}`).join(",");
  const indexBytes = await baseIndex();
  const freshBase = () => (indexBytes ? Corpus.fromIndex(indexBytes) : Corpus.withSeeds());
  let corpus = freshBase();
  const baseCount = corpus.len();
  // Added files: {key, name, first, count} (article ids first .. first + count).
  let mine = [];

  // ----- storage (IndexedDB); the page works without it -----

  let db = null;
  // What went wrong with stored articles at start-up, told in the status line.
  let startProblem = "";
  try {
    db = await new Promise((resolve, reject) => {
      const req = indexedDB.open("newslens", 1);
      req.onupgradeneeded = () => req.result.createObjectStore("files", { keyPath: "key", autoIncrement: true });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    // Another tab upgrading or deleting the database: this page lets go of it.
    db.onversionchange = () => {
      db.close();
      db = null;
    };
  } catch (e) {
    db = null;
    if (typeof indexedDB !== "undefined") {
      startProblem = ` Your stored articles could not be opened (${e?.message ?? e}); added articles will not be kept.`;
    }
  }

  function store(mode) {
    return db.transaction("files", mode).objectStore("files");
  }

  function request(req) {
    return new Promise((resolve, reject) => {
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }

  // Deletes the stored records with these keys (null keys, never stored, are skipped).
  async function forget(keys) {
    const stored = keys.filter((k) => k !== null);
    if (!db || !stored.length) return;
    const tx = db.transaction("files", "readwrite");
    await Promise.all(stored.map((k) => request(tx.objectStore("files").delete(k)).catch(() => {})));
  }

  async function storedFiles() {
    if (!db) return [];
    return request(store("readonly").getAll());
  }

  // Saves in slices (one transaction each) so that copying many articles does not stall.
  async function saveFiles(files) {
    if (!db) return files.map(() => null);
    const keys = [];
    for (let i = 0; i < files.length; i += 100) {
      const tx = db.transaction("files", "readwrite");
      const slice = files.slice(i, i + 100);
      keys.push(...await Promise.all(slice.map((f) => request(tx.objectStore("files").add(f)))));
      if (files.length > 100) say(`Saving ${Math.min(i + 100, files.length)} of ${files.length}…`);
    }
    return keys;
  }

  // ----- adding articles, in chunks so the page never freezes -----

  const nextFrame = () => new Promise((resolve) => setTimeout(resolve, 0));

  // What the page keeps of an added file (`mine`).
  const entryOf = (f, key = f.key) => ({ key: key ?? null, name: f.name, first: f.first, count: f.count });

  // Adds `files` ([{name, bytes, key?}]; records stored by earlier versions hold `text`) to the
  // corpus; returns those added and the errors. Bytes go to the module as they are, so that it
  // decodes them as the CLI does (UTF-8, UTF-16, Latin-1) and refuses binary files.
  async function addAll(files, label) {
    const ok = [];
    const errors = [];
    progress.hidden = files.length < 2;
    progress.max = files.length;
    let last = performance.now();
    for (let i = 0; i < files.length; i++) {
      const f = files[i];
      const first = corpus.len();
      try {
        if (f.bytes instanceof Uint8Array) corpus.addFile(f.name, f.bytes);
        else corpus.addArticle(f.name, f.text);
        ok.push({ ...f, first, count: corpus.len() - first });
      } catch (e) {
        errors.push(`${f.name}: ${e.message ?? e}`);
      }
      if (performance.now() - last > 30) {
        progress.value = i + 1;
        say(`${label} ${i + 1} of ${files.length}…`);
        await nextFrame();
        last = performance.now();
      }
    }
    // Entity recognition, spread over frames too: searching afterwards only links.
    const pending = corpus.prepareEntities(0);
    if (pending > 0) {
      progress.hidden = pending < 20;
      progress.max = pending;
      let left = pending;
      while (left > 0) {
        left = corpus.prepareEntities(8);
        progress.value = pending - left;
        say(`Finding names: ${pending - left} of ${pending} articles…`);
        await nextFrame();
      }
    }
    progress.hidden = true;
    return { ok, errors };
  }

  async function readFiles(fileList) {
    const files = [];
    const errors = [];
    for (const [i, file] of fileList.entries()) {
      if (fileList.length > 100 && i % 100 === 0) say(`Reading ${i} of ${fileList.length} files…`);
      if (!READABLE.test(file.name)) {
        errors.push(`${file.name}: not a .txt, .html or .jsonl file`);
      } else if (file.size > MAX_FILE_BYTES) {
        errors.push(`${file.name}: larger than ${Math.round(MAX_FILE_BYTES / 1048576)} MB`);
      } else {
        files.push({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
      }
    }
    return { files, errors };
  }

  async function addFiles(fileList) {
    const { files, errors: unread } = await readFiles(fileList);
    // Stored before indexing, so that a reload during a long import loses none of it.
    const keys = await saveFiles(files.map(({ name, bytes }) => ({ name, bytes, added: Date.now() })))
      .catch(() => []);
    files.forEach((f, i) => { f.key = keys[i] ?? null; });
    const { ok, errors } = await addAll(files, "Adding");
    // Files the module refused are not kept.
    const kept = new Set(ok.map((f) => f.key));
    await forget(files.map((f) => f.key).filter((k) => !kept.has(k)));
    ok.forEach((f) => mine.push(entryOf(f)));
    const problems = [...unread, ...errors];
    say(`Added ${ok.length} file(s); ${corpus.live()} articles.` +
      (problems.length ? ` Not added: ${listed(problems)}.` : "") +
      (db ? "" : " (This browser does not keep them after a reload.)"));
    await refresh();
  }

  // Removes added files (entries of `mine`): from storage and from the corpus, which drops
  // their articles without re-indexing the others (their ids stay as they are).
  async function remove(entries) {
    const gone = new Set(entries);
    await forget(entries.map((m) => m.key));
    for (const m of entries) if (m.count > 0) corpus.removeFile(m.first);
    mine = mine.filter((m) => !gone.has(m));
    say(`Removed ${entries.length === 1 ? entries[0].name : `${entries.length} files`}; ${corpus.live()} articles.`);
    await refresh();
  }

  // ----- rendering -----

  function renderSegments(parent, segments) {
    for (const s of segments) {
      let node;
      if (s.label) {
        node = el("mark", s.text, s.highlight ? "entity hit" : "entity");
        node.dataset.label = s.label;
        node.dataset.entity = s.entity;
        node.tabIndex = 0;
        node.setAttribute("role", "button");
        node.title = `${s.entity} — ${LABELS[s.label] ?? s.label}; search for it`;
      } else if (s.highlight) {
        node = el("mark", s.text, "hit");
      } else {
        node = document.createTextNode(s.text);
      }
      parent.append(node);
    }
  }

  function legend() {
    const dl = el("p", null, "legend");
    dl.setAttribute("aria-label", "Entity colours");
    for (const [label, name] of Object.entries(LABELS)) {
      const key = el("span", name, "key");
      key.dataset.label = label;
      dl.append(key, " ");
    }
    return dl;
  }

  // Opens article `id` in the reader, the words of `query` marked; `reveal` scrolls its headline
  // into view (when the reader asked for it, not when the page opens one itself).
  function show(id, query, { reveal = false } = {}) {
    let a;
    try {
      a = corpus.article(id, query ? { query } : undefined);
    } catch (e) {
      say(e.message ?? String(e));
      return;
    }
    reader.replaceChildren(legend());
    let figure = null;
    for (const f of a.fields) {
      let node;
      switch (f.part) {
        case "title": node = el("h2", null, "title"); break;
        case "publisher": node = el("p", null, "publisher"); break;
        case "subtitle": node = el("p", null, "subtitle"); break;
        case "dateline": node = el("p", null, "dateline"); break;
        case "caption":
          figure = el("figure");
          node = el("figcaption");
          renderSegments(node, f.segments);
          figure.append(node);
          reader.append(figure);
          continue;
        case "caption_credit":
          node = el("span", null, "credit");
          renderSegments(node, f.segments);
          if (figure) {
            figure.querySelector("figcaption").append(" ", node);
            continue;
          }
          break;
        case "credit": node = el("p", null, "contributor"); break;
        default: node = el("p");
      }
      if (f.part !== "caption_credit") renderSegments(node, f.segments);
      reader.append(node);
    }
    // What the page's metadata says (published, authors, language), as text.
    const about = [a.published, a.authors.join(", "), a.language].filter(Boolean).join(" · ");
    if (about) reader.append(el("p", about, "about"));
    reader.append(el("p", a.name, "source"));
    for (const li of list.children) li.toggleAttribute("aria-current", Number(li.dataset.id) === id);
    if (reveal) reader.querySelector(".title")?.scrollIntoView({ block: "start" });
  }

  function renderResults(query) {
    results.replaceChildren();
    if (!query.trim()) return;
    const r = corpus.search(query, { limit: 20 });
    say(`${r.total} of ${corpus.live()} articles match.`);
    for (const hit of r.hits) {
      const li = el("li");
      li.dataset.result = String(hit.id);
      const button = el("button", hit.title || hit.name, "hit-title");
      button.type = "button";
      button.addEventListener("click", () => show(hit.id, query, { reveal: true }));
      // The whole result opens the article; the headline button is what the keyboard reaches.
      const snippet = el("p", null, "snippet");
      snippet.addEventListener("click", () => show(hit.id, query, { reveal: true }));
      for (const s of hit.snippet) {
        if (s.highlight) {
          snippet.append(el("mark", s.text));
        } else if (s.label) {
          const span = el("span", s.text, "entity");
          span.dataset.label = s.label;
          snippet.append(span);
        } else {
          snippet.append(s.text);
        }
      }
      li.append(button, snippet);
      results.append(li);
    }
  }

  function search(query, { push = true } = {}) {
    if (box.value !== query) box.value = query;
    if (push) {
      const url = query.trim() ? `#q=${encodeURIComponent(query)}` : location.pathname + location.search;
      history.replaceState(null, "", url);
    }
    renderResults(query);
  }

  function filterBy(label, entity) {
    const q = `${FILTERS[label] ?? ""}"${entity.replaceAll('"', "")}"`;
    search(q);
    box.focus();
    showTogether(label, entity);
  }

  function entityButton(e, count) {
    const b = el("button", null, "entity-button");
    b.type = "button";
    b.dataset.label = e.label;
    b.dataset.entity = e.entity;
    b.append(el("span", e.entity, "name"), " ", el("span", String(count), "count"));
    b.title = `${e.entity}: ${count} — search for it`;
    b.addEventListener("click", () => filterBy(e.label, e.entity));
    return b;
  }

  function renderEntities() {
    entityLists.replaceChildren();
    for (const [label, title] of [["PERSON", "People"], ["ORG", "Organisations"], ["GPE", "Places"]]) {
      const group = el("div", null, "entity-group");
      group.append(el("h3", title));
      const ul = el("ul");
      for (const e of corpus.entities({ label, limit: 12 })) {
        const li = el("li");
        li.append(entityButton(e, e.count));
        ul.append(li);
      }
      group.append(ul);
      entityLists.append(group);
    }
  }

  // Who appears with whom: the entities sharing articles with one, as bars.
  function showTogether(label, entity) {
    together.replaceChildren();
    const shared = corpus.cooccurring(entity, label, 8);
    if (!shared.length) return;
    together.append(el("h3", `Appears with ${entity}`));
    const max = Math.max(...shared.map((s) => s.articles));
    const ul = el("ul", null, "bars");
    for (const s of shared) {
      const li = el("li");
      const b = entityButton(s, s.articles);
      const bar = el("span", null, "bar");
      bar.style.setProperty("--share", String(s.articles / max));
      b.prepend(bar);
      b.title = `${s.entity}: ${s.articles} shared article(s) — search for it`;
      li.append(b);
      ul.append(li);
    }
    together.append(ul);
  }

  // Long lists show their first items; a button shows more (or search finds the rest).
  const PAGE = 200;
  let shownArticles = PAGE;
  let shownFiles = 50;

  function more(list, left, step, grow) {
    const li = el("li", null, "more");
    const b = el("button", `Show ${Math.min(step, left)} more of ${left}`);
    b.type = "button";
    b.addEventListener("click", grow);
    li.append(b);
    list.append(li);
  }

  function renderList() {
    list.replaceChildren();
    const ids = corpus.liveIds();
    const n = ids.length;
    for (const id of ids.subarray(0, Math.min(n, shownArticles))) {
      const li = el("li");
      li.dataset.id = String(id);
      const button = el("button", corpus.title(id) || `Article ${id + 1}`);
      button.type = "button";
      button.addEventListener("click", () => show(id, undefined, { reveal: true }));
      li.append(button);
      list.append(li);
    }
    if (n > shownArticles) {
      more(list, n - shownArticles, PAGE, () => {
        shownArticles += PAGE;
        renderList();
      });
    }
    added.replaceChildren();
    for (const m of mine.slice(0, shownFiles)) {
      const li = el("li");
      li.append(el("span", `${m.name} (${m.count})`, "file"));
      const x = el("button", "Remove", "remove");
      x.type = "button";
      x.setAttribute("aria-label", `Remove ${m.name}`);
      x.addEventListener("click", () => remove([m]));
      li.append(" ", x);
      added.append(li);
    }
    if (mine.length > shownFiles) {
      more(added, mine.length - shownFiles, 50, () => {
        shownFiles += 50;
        renderList();
      });
    }
    if (mine.length > 1) {
      const li = el("li", null, "more");
      const all = el("button", `Remove all ${mine.length} added files`, "remove");
      all.type = "button";
      all.addEventListener("click", () => remove([...mine]));
      li.append(all);
      added.append(li);
    }
  }

  // Redraws what depends on the corpus, a piece per frame.
  async function refresh() {
    renderList();
    await nextFrame();
    renderEntities();
    await nextFrame();
    renderResults(box.value);
  }

  // ----- events -----

  box.addEventListener("input", () => {
    search(box.value);
    if (!box.value.trim()) say(`${corpus.live()} articles ready.`);
  });
  $("search").addEventListener("submit", (e) => e.preventDefault());
  window.addEventListener("hashchange", () => search(queryFromHash(), { push: false }));

  for (const where of [reader, together]) {
    where.addEventListener("click", (e) => {
      const mark = e.target.closest("mark[data-entity]");
      if (mark) filterBy(mark.dataset.label, mark.dataset.entity);
    });
  }
  reader.addEventListener("keydown", (e) => {
    const mark = e.target.closest("mark[data-entity]");
    if (mark && (e.key === "Enter" || e.key === " ")) {
      e.preventDefault();
      filterBy(mark.dataset.label, mark.dataset.entity);
    }
  });

  document.addEventListener("keydown", (e) => {
    const typing = e.target.matches("input, textarea, [contenteditable]");
    if (e.key === "/" && !typing) {
      e.preventDefault();
      box.focus();
      box.select();
      return;
    }
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    const buttons = [...results.querySelectorAll(".hit-title")];
    if (!buttons.length) return;
    const at = buttons.indexOf(document.activeElement);
    if (e.target !== box && at < 0) return;
    e.preventDefault();
    const next = e.key === "ArrowDown" ? Math.min(at + 1, buttons.length - 1) : at - 1;
    if (next < 0) box.focus();
    else buttons[next].focus();
  });
  results.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && e.target.matches(".hit-title")) {
      e.preventDefault();
      e.target.click();
      reader.focus();
    }
  });

  picker.addEventListener("change", async () => {
    const files = [...picker.files];
    picker.value = "";
    await addFiles(files);
  });
  let dragDepth = 0;
  document.addEventListener("dragenter", (e) => {
    if (![...e.dataTransfer.types].includes("Files")) return;
    dragDepth++;
    drop.hidden = false;
  });
  document.addEventListener("dragleave", () => {
    dragDepth = Math.max(0, dragDepth - 1);
    if (!dragDepth) drop.hidden = true;
  });
  document.addEventListener("dragover", (e) => e.preventDefault());
  document.addEventListener("drop", async (e) => {
    e.preventDefault();
    dragDepth = 0;
    drop.hidden = true;
    if (e.dataTransfer.files.length) await addFiles([...e.dataTransfer.files]);
  });

  function queryFromHash() {
    const m = location.hash.match(/^#q=(.*)$/);
    if (!m) return "";
    try {
      return decodeURIComponent(m[1]);
    } catch {
      return "";
    }
  }

  // ----- start -----

  const saved = await storedFiles().catch((e) => {
    startProblem = ` Your stored articles could not be read (${e?.message ?? e}).`;
    return [];
  });
  if (saved.length) {
    // Records as this page writes them; anything else is damaged and skipped.
    const readable = saved.filter((f) => f && typeof f.name === "string" &&
      (f.bytes instanceof Uint8Array || typeof f.text === "string"));
    const { ok, errors } = await addAll(readable, "Loading your articles:");
    mine = ok.map((f) => entryOf(f));
    const damaged = saved.length - readable.length;
    const problems = [...(damaged ? [`${damaged} stored record(s) are damaged`] : []), ...errors];
    if (problems.length) {
      startProblem += ` Not loaded: ${listed(problems)}.`;
    }
  }
  renderList();
  renderEntities();
  const initial = queryFromHash();
  if (initial) search(initial, { push: false });
  say((initial ? status.textContent : `${corpus.live()} articles ready.`) + startProblem);
  if (corpus.len() > 0) show(0, initial || undefined);
  if (baseCount === 0) say("No articles yet: add some.");
}

newslensPage().catch((e) => {
  document.getElementById("status").textContent = `NewsLens could not start: ${e.message ?? e}`;
});
