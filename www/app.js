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
  const timelineBox = $("timeline");
  const entityView = $("entity-view");
  const undoButton = $("undo");

  // What the page shows, as the URL keeps it (`#q=…&a=…&e=LABEL:name`).
  let openId = null;
  let selected = null; // {label, entity}

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
  // The saved segments' database, whether changes are saved, and additions under way (see
  // "the saved index" below).
  let segmentsDb = null;
  let saving = true;
  let adding = 0;
  let mergeTimer = null;

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

  // Stored files are kept gzip-compressed: about half the browser's storage that the files
  // themselves take. They are the truth that a damaged segment is rebuilt from, and read only
  // then; the saved segments, which every visit reads, stay as they are, since decompressing
  // them would cost a reload more time than it saves storage. The browser's CompressionStream
  // and DecompressionStream do the work; a browser without them keeps the bytes as they are.
  // Records written before keep loading: a file record holds `gz` (compressed), or `bytes` or
  // `text`.
  const AT_REST = typeof CompressionStream === "function" && typeof DecompressionStream === "function";

  // Lets the page handle its events (no timer clamping).
  function yieldToPage() {
    if (globalThis.scheduler?.yield) return globalThis.scheduler.yield();
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = resolve;
      channel.port2.postMessage(null);
    });
  }

  // Runs `work` on each of `items`, a batch of 32 at a time, letting the page handle its
  // events between batches; resolves to the results in order.
  async function inBatches(items, work) {
    const out = [];
    for (let i = 0; i < items.length; i += 32) {
      out.push(...await Promise.all(items.slice(i, i + 32).map(work)));
      await yieldToPage();
    }
    return out;
  }

  // `bytes` through a compression or decompression stream (a blob's stream, read a chunk at a
  // time); rejects if the stream fails.
  async function throughStream(bytes, transform) {
    const stream = new Blob([bytes]).stream().pipeThrough(transform);
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  // A file record to store: its content compressed if the browser can.
  async function fileRecord({ name, bytes, added }) {
    return AT_REST ? { name, added, gz: await throughStream(bytes, new CompressionStream("gzip")) } : { name, added, bytes };
  }

  // A stored file record as the page adds it ({name, bytes} or {name, text}), or null if it
  // is damaged.
  async function readFileRecord(f) {
    if (!f || typeof f.name !== "string") return null;
    if (f.gz instanceof Uint8Array) {
      try {
        const { gz, ...rest } = f;
        return { ...rest, bytes: await throughStream(gz, new DecompressionStream("gzip")) };
      } catch {
        return null;
      }
    }
    return f.bytes instanceof Uint8Array || typeof f.text === "string" ? f : null;
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
  // Returns each file's key (null: not stored) and why storing stopped, if it did: a slice
  // refused (storage full, or taken away) keeps every slice stored before it.
  async function saveFiles(files) {
    const keys = files.map(() => null);
    if (!db) return { keys, problem: null };
    for (let i = 0; i < files.length; i += 100) {
      const slice = files.slice(i, i + 100);
      let tx = null;
      try {
        tx = db.transaction("files", "readwrite");
        // Each promise handled from the start: an abort rejects them all, awaited or not.
        const quiet = (p) => {
          p.catch(() => {});
          return p;
        };
        const done = quiet(new Promise((ok, fail) => {
          tx.oncomplete = ok;
          tx.onabort = tx.onerror = () => fail(tx.error);
        }));
        const requests = [];
        for (const f of slice) requests.push(quiet(request(tx.objectStore("files").add(f))));
        const got = await Promise.all(requests);
        await done;
        got.forEach((k, j) => { keys[i + j] = k; });
      } catch (e) {
        // Nothing of a refused slice is kept: a file stored but not counted would come back.
        try {
          tx?.abort();
        } catch {
          // Already ended.
        }
        const full = e?.name === "QuotaExceededError";
        return { keys, problem: full ? "this browser's storage for the page is full" : `storing failed (${e?.message ?? e})` };
      }
      if (files.length > 100) say(`Saving ${Math.min(i + 100, files.length)} of ${files.length}…`);
    }
    return { keys, problem: null };
  }

  // Asks once that the browser keep the stored articles when space runs low, and says how much
  // of its storage they use.
  let persistence = null;
  async function describeStorage() {
    const note = $("storage-note");
    if (!db || !navigator.storage?.estimate) {
      note.textContent = "";
      return;
    }
    if (persistence === null && mine.length && navigator.storage.persist) {
      persistence = await navigator.storage.persist().catch(() => false);
    }
    const { usage = 0, quota = 0 } = await navigator.storage.estimate().catch(() => ({}));
    const mb = (b) => (b >= 1e9 ? `${(b / 1e9).toFixed(1)} GB` : `${(b / 1e6).toFixed(1)} MB`);
    note.textContent = `Stored in this browser: ${mb(usage)} of the ${mb(quota)} it allows this page.` +
      (persistence === true ? " Kept until you remove them." : "") +
      (persistence === false ? " The browser may clear them if the disk runs short of space." : "");
  }

  // ----- adding articles, in chunks so the page never freezes -----

  const nextFrame = () => new Promise((resolve) => setTimeout(resolve, 0));

  // Files are added, and saved, in batches of about this many bytes: one segment each.
  const SEGMENT_TEXT = 256 * 1024;

  // ----- the worker: files read, indexed and recognised off the main thread -----

  // Started on first use (www/worker.js). Each batch of files comes back as an index segment
  // that the corpus adds in one short call (`addIndex`) and that is saved as it is. Where no
  // worker can start (the single-file page opened from disk) or it fails, files are added on
  // the main thread, in slices.
  let worker;
  let workerCalls = 0;
  const waiting = new Map();
  function stopWorker(why) {
    worker?.terminate();
    worker = null;
    for (const resolve of waiting.values()) resolve({ failed: why });
    waiting.clear();
  }
  function startWorker() {
    if (worker !== undefined) return worker;
    worker = null;
    if (location.protocol === "file:" || typeof Worker === "undefined") return null;
    try {
      worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
      worker.onmessage = ({ data }) => {
        waiting.get(data.id)?.(data);
        waiting.delete(data.id);
      };
      worker.onerror = (e) => {
        e.preventDefault();
        stopWorker(e.message || "the worker failed");
      };
    } catch {
      worker = null;
    }
    return worker;
  }
  // Asks the worker; its answer, or {failed}.
  function askWorker(message, transfer = []) {
    if (!startWorker()) return Promise.resolve({ failed: "no worker" });
    const id = ++workerCalls;
    return new Promise((resolve) => {
      waiting.set(id, resolve);
      worker.postMessage({ id, ...message }, transfer);
    });
  }
  // The batch as a segment: {results: [{count} | {error}], bytes}, or {failed}.
  function inWorker(files) {
    return askWorker({
      files: files.map((f) => ({ name: f.name, bytes: f.bytes instanceof Uint8Array ? f.bytes : new TextEncoder().encode(f.text) })),
    });
  }

  // `files` in batches of about SEGMENT_TEXT bytes, the first ones from about `smallest` up (the
  // first additions to a corpus cost the most).
  function batchesOf(files, smallest = SEGMENT_TEXT / 8) {
    const batches = [];
    let size = Infinity;
    let limit = smallest / 2;
    for (const f of files) {
      const bytes = f.bytes?.length ?? f.text?.length ?? 0;
      const last = batches.at(-1);
      if (!last || size + bytes > limit) {
        limit = Math.min(SEGMENT_TEXT, limit * 2);
        batches.push([f]);
        size = bytes;
      } else {
        last.push(f);
        size += bytes;
      }
    }
    return batches;
  }

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
    if (startWorker() && files.length) {
      document.body.dataset.worker = "on";
      const batches = batchesOf(files);
      // Two batches in the worker at a time: each copied to it as it is needed.
      const answers = batches.slice(0, 2).map((b) => inWorker(b));
      let done = 0;
      for (const [b, batch] of batches.entries()) {
        const answer = await answers[b];
        if (b + 2 < batches.length) answers.push(inWorker(batches[b + 2]));
        let first = null;
        if (!answer.failed) {
          const starts = [];
          let at = 0;
          for (const r of answer.results) {
            starts.push(at);
            at += r.count ?? 0;
          }
          try {
            first = corpus.addIndex(answer.bytes, Uint32Array.from(starts));
          } catch {
            // A full corpus: each file is tried on its own below, to say which were refused.
          }
        }
        if (first === null) {
          const alone = await addSlices(batch, label, done, files.length);
          ok.push(...alone.ok);
          errors.push(...alone.errors);
        } else {
          const segment = { first, end: corpus.len(), bytes: answer.bytes };
          let at = first;
          batch.forEach((f, i) => {
            const r = answer.results[i];
            if (r.error !== undefined) {
              errors.push(`${f.name}: ${r.error}`);
            } else {
              ok.push({ ...f, first: at, count: r.count, segment });
              at += r.count;
            }
          });
        }
        done += batch.length;
        progress.value = done;
        say(`${label} ${done} of ${files.length}…`);
        await nextFrame();
      }
    } else {
      const alone = await addSlices(files, label, 0, files.length);
      ok.push(...alone.ok);
      errors.push(...alone.errors);
    }
    await prepareEntities();
    return { ok, errors };
  }

  // Adds `files` on the main thread, a slice of them per frame; `done` of `total` already are.
  async function addSlices(files, label, done, total) {
    const ok = [];
    const errors = [];
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
      if (performance.now() - last > 12) {
        progress.value = done + i + 1;
        say(`${label} ${done + i + 1} of ${total}…`);
        await nextFrame();
        last = performance.now();
      }
    }
    return { ok, errors };
  }

  // Entity recognition and then linking, spread over frames (a few articles, or one step of
  // linking, per call; calls for up to 12 ms a frame), so that the entity lists and the first
  // search after it cost nothing.
  async function prepareEntities() {
    const pending = corpus.prepareEntities(0);
    if (pending > 0) {
      progress.hidden = pending < 20;
      progress.max = pending;
      let left = pending;
      while (left > 0) {
        const start = performance.now();
        do left = corpus.prepareEntities(8);
        while (left > 0 && performance.now() - start < 12);
        progress.value = pending - left;
        say(`Finding names: ${Math.floor((100 * (pending - left)) / pending)}%…`);
        await nextFrame();
      }
    }
    progress.hidden = true;
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
    adding++;
    try {
      await addFilesNow(fileList);
    } finally {
      adding--;
    }
  }

  async function addFilesNow(fileList) {
    const { files, errors: unread } = await readFiles(fileList);
    // Stored before indexing, so that a reload during a long import loses none of it.
    const added = Date.now();
    const records = await inBatches(files, (f) => fileRecord({ name: f.name, bytes: f.bytes, added }));
    const { keys, problem } = await saveFiles(records);
    files.forEach((f, i) => { f.key = keys[i] ?? null; });
    const unsaved = keys.filter((k) => k === null).length;
    const { ok, errors } = await addAll(files, "Adding");
    // Files the module refused are not kept.
    const kept = new Set(ok.map((f) => f.key));
    await forget(files.map((f) => f.key).filter((k) => !kept.has(k)));
    ok.forEach((f) => mine.push(entryOf(f)));
    const problems = [...unread, ...errors];
    // Redrawn first: redrawing the results of a query says how many match, which would
    // replace the outcome before anyone could read it.
    await refresh();
    say(`Added ${ok.length} file(s); ${corpus.live()} articles.` +
      (problems.length ? ` Not added: ${listed(problems)}.` : "") +
      (db ? "" : " (This browser does not keep them after a reload.)") +
      (db && problem ? ` Not kept for your next visit: ${unsaved} file(s), as ${problem}; ` +
        `those stored before are kept, and all are here until the page is reloaded.` : ""));
    await writeSegments(ok).catch(() => {});
    await describeStorage();
  }

  // Removes added files (entries of `mine`): from storage and from the corpus, which drops
  // their articles without re-indexing the others (their ids stay as they are).
  async function remove(entries) {
    const gone = new Set(entries);
    await forget(entries.map((m) => m.key));
    for (const m of entries) if (m.count > 0) corpus.removeFile(m.first);
    mine = mine.filter((m) => !gone.has(m));
    await refresh();
    say(`Removed ${entries.length === 1 ? entries[0].name : `${entries.length} files`}; ${corpus.live()} articles.`);
    scheduleMerge();
    await describeStorage();
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
      return false;
    }
    openId = id;
    const back = el("button", "← Back to the results", "back");
    back.type = "button";
    back.addEventListener("click", closeReader);
    reader.replaceChildren(back, legend());
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
    const about = [a.published ?? a.date, a.authors.join(", "), a.language].filter(Boolean).join(" · ");
    if (about) reader.append(el("p", about, "about"));
    const dated = a.dates.filter((d) => d.value);
    if (dated.length) {
      reader.append(el("p", `Dates: ${dated.map((d) => `${d.text} (${d.value})`).join(", ")}`, "about"));
    }
    reader.append(el("p", a.name, "source"));
    for (const li of list.children) li.toggleAttribute("aria-current", Number(li.dataset.id) === id);
    for (const li of results.children) li.toggleAttribute("aria-current", Number(li.dataset.result) === id);
    document.body.classList.add("reading");
    if (reveal) {
      // The reader scrolls on its own: back to its top, then the headline fully in view.
      reader.scrollTop = 0;
      // A long page scrolled far down can push the reader's top out of view: bring it back.
      const top = reader.getBoundingClientRect().top;
      if (top < 0 || top > innerHeight / 2) window.scrollBy(0, top);
      reader.querySelector(".title")?.scrollIntoView({ block: "nearest" });
    }
    return true;
  }

  // Opens an article from a result or a list: a new history entry.
  function open(id, { reveal = true } = {}) {
    if (show(id, box.value.trim() || undefined, { reveal })) remember({ push: true });
  }

  // On a phone the reader stands in for the results; this goes back to them.
  function closeReader() {
    document.body.classList.remove("reading");
    openId = null;
    remember({ push: true });
    results.querySelector("[aria-current] .hit-title")?.focus();
  }

  function renderResults(query) {
    results.replaceChildren();
    if (!query.trim()) return;
    const r = corpus.search(query, { limit: 20 });
    say(`${r.total} of ${corpus.live()} articles match.`);
    for (const hit of r.hits) {
      const li = el("li");
      li.dataset.result = String(hit.id);
      li.toggleAttribute("aria-current", hit.id === openId);
      const button = el("button", hit.title || hit.name, "hit-title");
      button.type = "button";
      // The whole result opens the article; the headline button is what the keyboard reaches.
      li.addEventListener("click", () => open(hit.id, { reveal: true }));
      const snippet = el("p", null, "snippet");
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
      li.append(button);
      if (hit.date) li.append(el("span", hit.date, "hit-date"));
      li.append(snippet);
      results.append(li);
    }
  }

  // The view as a URL fragment: the query, the open article, the selected entity.
  function fragment() {
    const parts = [];
    if (box.value.trim()) parts.push(`q=${encodeURIComponent(box.value)}`);
    if (openId !== null) parts.push(`a=${openId}`);
    if (selected) parts.push(`e=${encodeURIComponent(`${selected.label}:${selected.entity}`)}`);
    return parts.length ? `#${parts.join("&")}` : location.pathname + location.search;
  }

  // Typing replaces the history entry; opening an article or an entity adds one, so Back and
  // Forward move between them.
  function remember({ push = false } = {}) {
    const url = fragment();
    if (url === location.hash || (url === location.pathname + location.search && !location.hash)) return;
    if (push) history.pushState(null, "", url);
    else history.replaceState(null, "", url);
  }

  function stateFromHash() {
    const params = new URLSearchParams(location.hash.replace(/^#/, ""));
    const a = params.get("a");
    const e = params.get("e");
    const colon = e ? e.indexOf(":") : -1;
    return {
      q: params.get("q") ?? "",
      a: a !== null && /^\d+$/.test(a) ? Number(a) : null,
      e: colon > 0 ? { label: e.slice(0, colon), entity: e.slice(colon + 1) } : null,
    };
  }

  function search(query, { push = true } = {}) {
    if (box.value !== query) box.value = query;
    renderResults(query);
    renderTimeline();
    if (push) remember();
  }

  function filterBy(label, entity) {
    const q = `${FILTERS[label] ?? ""}"${entity.replaceAll('"', "")}"`;
    select(label, entity, { push: false });
    search(q, { push: false });
    remember({ push: true });
    box.focus();
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
    drawNetwork(label, entity);
  }

  // The entity and those it shares the most articles with, as a picture: the entity in the
  // middle, the others around it, a line for each pair sharing articles (thicker for more).
  // The bars above say the same in text; a click on a node selects that entity.
  const SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs = {}) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    return node;
  }
  function drawNetwork(label, entity) {
    const net = corpus.network(entity, label, 8);
    if (!net || net.nodes.length < 2) return;
    const [w, h] = [340, 240];
    const n = net.nodes.length - 1;
    const at = net.nodes.map((_, i) => {
      if (i === 0) return [w / 2, h / 2];
      const a = (2 * Math.PI * (i - 1)) / n - Math.PI / 2;
      return [w / 2 + 125 * Math.cos(a), h / 2 + 85 * Math.sin(a)];
    });
    const picture = svg("svg", { viewBox: `0 0 ${w} ${h}`, class: "network", role: "img" });
    const others = net.nodes.slice(1).map((x) => x.entity).join(", ");
    picture.setAttribute("aria-label", `${net.nodes[0].entity} and who appears with it: ${others}`);
    const most = Math.max(...net.edges.map((e) => e.articles));
    for (const e of net.edges) {
      const [[x1, y1], [x2, y2]] = [at[e.a], at[e.b]];
      const line = svg("line", { x1, y1, x2, y2, "stroke-width": (1 + 5 * e.articles / most).toFixed(1) });
      line.classList.add(e.a === 0 ? "spoke" : "link");
      const tip = svg("title");
      tip.textContent = `${net.nodes[e.a].entity} and ${net.nodes[e.b].entity}: ${e.articles} article(s)`;
      line.append(tip);
      picture.append(line);
    }
    net.nodes.forEach((node, i) => {
      const [x, y] = at[i];
      const g = svg("g", { "data-label": node.label, class: i === 0 ? "node centre" : "node" });
      g.dataset.entity = node.entity;
      g.append(svg("circle", { cx: x, cy: y, r: i === 0 ? 11 : 5 + 5 * node.articles / net.nodes[0].articles }));
      const name = svg("text", { x, y: y + (i === 0 ? 25 : y < h / 2 ? -11 : 20), "text-anchor": "middle" });
      name.textContent = node.entity.length > 22 ? `${node.entity.slice(0, 21)}…` : node.entity;
      const tip = svg("title");
      tip.textContent = i === 0 ? `${node.entity}: ${node.articles} article(s)`
        : `${node.entity}: ${node.articles} article(s) shared`;
      g.append(name, tip);
      if (i > 0) g.addEventListener("click", () => select(node.label, node.entity));
      picture.append(g);
    });
    together.append(picture);
  }

  // A long list drawn a window at a time: rows of one height, those in view and some either
  // side in the document, the list's padding standing for the others, inside a box of its own
  // that scrolls (`.scroller`); scrolling redraws the window (a frame at most once). A short
  // list is drawn whole. Keyboard focus stays on its row.
  const OVERSCAN = 30;
  function virtualList(ol, count, row) {
    const box = ol.parentElement;
    ol.classList.add("virtual");
    let rowHeight = 0;
    let drawn = [-1, -1];
    const draw = () => {
      const h = rowHeight || 28;
      const view = Math.max(box.clientHeight, 480);
      const first = Math.max(0, Math.floor(box.scrollTop / h) - OVERSCAN);
      const last = Math.min(count, Math.ceil((box.scrollTop + view) / h) + OVERSCAN);
      if (first === drawn[0] && last === drawn[1]) return;
      const focused = ol.contains(document.activeElement)
        ? document.activeElement.closest("li")?.dataset.index : undefined;
      const rows = [];
      for (let i = first; i < last; i++) {
        const li = row(i);
        li.value = i + 1;
        li.dataset.index = String(i);
        li.setAttribute("aria-setsize", String(count));
        li.setAttribute("aria-posinset", String(i + 1));
        rows.push(li);
      }
      ol.replaceChildren(...rows);
      if (!rowHeight && rows.length) rowHeight = rows[0].getBoundingClientRect().height || 28;
      ol.style.paddingTop = `${first * (rowHeight || h)}px`;
      ol.style.paddingBottom = `${(count - last) * (rowHeight || h)}px`;
      drawn = [first, last];
      if (focused !== undefined) ol.querySelector(`li[data-index="${focused}"] button`)?.focus({ preventScroll: true });
    };
    let pending = false;
    box.onscroll = () => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        draw();
      });
    };
    draw();
  }

  function renderList() {
    const ids = corpus.liveIds();
    virtualList(list, ids.length, (i) => {
      const id = ids[i];
      const li = el("li");
      li.dataset.id = String(id);
      li.toggleAttribute("aria-current", id === openId);
      const title = corpus.title(id) || `Article ${id + 1}`;
      const button = el("button", title);
      button.type = "button";
      button.title = title;
      button.addEventListener("click", () => open(id));
      li.append(button);
      return li;
    });
    const files = [...mine];
    virtualList(added, files.length, (i) => {
      const m = files[i];
      const li = el("li");
      li.append(el("span", `${m.name} (${m.count})`, "file"));
      const x = el("button", "Remove", "remove");
      x.type = "button";
      x.setAttribute("aria-label", `Remove ${m.name}`);
      x.addEventListener("click", () => remove([m]).catch((e) => say(`${m.name} could not be removed: ${e?.message ?? e}`)));
      li.append(" ", x);
      return li;
    });
    const actions = $("added-actions");
    actions.replaceChildren();
    if (mine.length > 1) {
      const all = el("button", `Remove all ${mine.length} added files`, "remove");
      all.type = "button";
      all.addEventListener("click", () => remove([...mine]).catch((e) => say(`The added files could not be removed: ${e?.message ?? e}`)));
      actions.append(all);
    }
  }

  // Redraws what depends on the corpus, a piece per frame.
  async function refresh() {
    renderList();
    await nextFrame();
    renderEntities();
    renderEntityView();
    await nextFrame();
    renderResults(box.value);
    renderTimeline();
  }


  // ----- time -----

  // The period after `p` (YYYY, YYYY-MM or YYYY-MM-DD), for a half-open date filter.
  function nextPeriod(p) {
    const [y, m, d] = p.split("-").map(Number);
    if (d) {
      const t = new Date(Date.UTC(y, m - 1, d + 1));
      return t.toISOString().slice(0, 10);
    }
    if (m) return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
    return String(y + 1);
  }

  // The query with its date filters replaced by this period's.
  function withPeriod(query, period) {
    const rest = query.replace(/(^|\s)(after|before|since|until|from):\S*/gi, " ").trim();
    return `${rest} after:${period} before:${nextPeriod(period)}`.trim();
  }

  // Bars of a timeline ({unit, periods, coarse, undated}); a click filters the search to the
  // period.
  function drawTimeline(where, t, what) {
    where.replaceChildren();
    if (!t || !t.periods.length) {
      where.append(el("p", "No dated articles.", "hint"));
      return;
    }
    const max = Math.max(...t.periods.map((p) => p.count));
    const unit = t.unit === "year" ? "year" : t.unit === "month" ? "month" : "day";
    where.append(el("p", `${what} per ${unit}` +
      (t.undated ? `; ${t.undated} undated` : "") + (t.coarse ? `; ${t.coarse} dated less precisely` : ""), "hint"));
    const bars = el("div", null, "timeline");
    const current = (box.value.match(/after:(\S+)/) ?? [])[1];
    for (const p of t.periods) {
      const b = el("button");
      b.type = "button";
      b.dataset.period = p.period;
      b.dataset.count = String(p.count);
      b.title = `${p.period}: ${p.count} — show only these`;
      b.setAttribute("aria-label", `${p.period}: ${p.count} article(s)`);
      b.setAttribute("aria-pressed", String(p.period === current));
      const bar = el("span");
      bar.style.setProperty("--share", String(max ? p.count / max : 0));
      b.append(bar);
      b.addEventListener("click", () => {
        search(withPeriod(box.value, p.period), { push: false });
        remember({ push: true });
      });
      bars.append(b);
    }
    const axis = el("p", null, "timeline-axis");
    axis.append(el("span", t.periods[0].period), el("span", t.periods[t.periods.length - 1].period));
    where.append(bars, axis);
  }

  function renderTimeline() {
    let t = null;
    try {
      t = corpus.timeline({ query: box.value });
    } catch (e) {
      say(e.message ?? String(e));
    }
    drawTimeline(timelineBox, t, box.value.trim() ? "Matching articles" : "Articles");
  }

  // ----- the selected entity, and corrections to the entities -----

  const CURATION_DB = "newslens-curation";
  let curation = { changes: [] };

  function curationStore(mode) {
    return new Promise((resolve, reject) => {
      const req = indexedDB.open(CURATION_DB, 1);
      req.onupgradeneeded = () => req.result.createObjectStore("state");
      req.onsuccess = () => resolve(req.result.transaction("state", mode).objectStore("state"));
      req.onerror = () => reject(req.error);
    });
  }

  async function loadCuration() {
    try {
      const saved = await request((await curationStore("readonly")).get("curation"));
      if (saved && Array.isArray(saved.changes)) applyCuration(saved, { quiet: true });
    } catch {
      // No storage for corrections here: they hold until the page closes (saving says so).
    }
  }

  async function saveCuration() {
    try {
      await request((await curationStore("readwrite")).put(curation, "curation"));
    } catch (e) {
      say(`Your corrections could not be saved (${e?.message ?? e}); they hold until the page closes.`);
    }
  }

  // Puts a curation in force; a curation the module refuses changes nothing.
  function applyCuration(next, { quiet = false } = {}) {
    let report;
    try {
      report = corpus.setCuration(next);
    } catch (e) {
      say(e.message ?? String(e));
      return false;
    }
    curation = next;
    undoButton.disabled = !curation.changes.length;
    $("curation-count").textContent = curation.changes.length
      ? `${curation.changes.length} correction(s)` + (report.stale ? `, ${report.stale} no longer apply` : "")
      : "";
    if (!quiet) say(`Corrections: ${report.applied} applied` + (report.stale ? `, ${report.stale} no longer apply` : "") + ".");
    return true;
  }

  async function change(c, follow) {
    if (!applyCuration({ changes: [...curation.changes, c] })) return;
    await saveCuration();
    if (follow) selected = follow;
    await afterCuration();
  }

  async function undo() {
    if (!curation.changes.length) return;
    const last = curation.changes[curation.changes.length - 1];
    applyCuration({ changes: curation.changes.slice(0, -1) });
    await saveCuration();
    if (selected && last.entity) selected = { label: last.entity.label, entity: last.entity.name };
    say("Undone.");
    await afterCuration();
  }

  async function afterCuration() {
    renderEntities();
    renderEntityView();
    renderResults(box.value);
    renderTimeline();
    if (openId !== null) show(openId, box.value.trim() || undefined);
    remember();
  }

  function clearSelection() {
    selected = null;
    entityView.hidden = true;
  }

  function select(label, entity, { push = true } = {}) {
    selected = { label, entity };
    renderEntityView();
    if (push) remember({ push: true });
  }

  // The selected entity: aliases, counts, dates, its timeline, who appears with it, its
  // articles, and the forms that correct it.
  function renderEntityView() {
    if (!selected) {
      entityView.hidden = true;
      return;
    }
    const { label, entity } = selected;
    const e = corpus.entity(entity, label);
    entityView.hidden = false;
    $("entity-view-h").textContent = e ? e.entity : entity;
    const about = $("entity-about");
    about.replaceChildren();
    together.replaceChildren();
    $("entity-articles").replaceChildren();
    $("entity-timeline").replaceChildren();
    $("curate").hidden = !e;
    if (!e) {
      about.append(el("p", `No ${LABELS[label] ?? label} by that name any more.`, "hint"));
      return;
    }
    selected = { label: e.label, entity: e.entity };
    const chip = el("span", LABELS[e.label] ?? e.label, "key");
    chip.dataset.label = e.label;
    chip.dataset.entity = e.entity;
    const line = el("p");
    line.append(chip, ` ${e.count} mention(s) in ${e.articles.length} article(s)` +
      (e.first ? `, ${e.first === e.last ? e.first : `${e.first} to ${e.last}`}` : ""));
    about.append(line);
    if (e.aliases.length > 1) about.append(el("p", `Also written: ${e.aliases.filter((a) => a !== e.entity).join(", ")}`, "aliases"));
    const t = corpus.timeline({ entity: e.entity, label: e.label });
    const tl = el("div");
    tl.dataset.timeline = "entity";
    drawTimeline(tl, t, "Its articles");
    $("entity-timeline").append(tl);
    showTogether(e.label, e.entity);
    const arts = el("ol", null, "entity-articles");
    const scroller = el("div", null, "scroller");
    scroller.append(arts);
    $("entity-articles").append(el("h4", `Its articles (${e.articles.length})`), scroller);
    virtualList(arts, e.articles.length, (i) => {
      const id = e.articles[i];
      const li = el("li");
      const title = corpus.title(id) || `Article ${id + 1}`;
      const b = el("button", title, "link");
      b.type = "button";
      b.title = title;
      b.addEventListener("click", () => open(id));
      li.append(b);
      return li;
    });
    // The correction forms, filled for this entity.
    $("rename-to").value = e.entity;
    const relabel = $("relabel-to");
    relabel.replaceChildren(...Object.entries(LABELS).map(([l, name]) => {
      const o = el("option", name);
      o.value = l;
      o.selected = l === e.label;
      return o;
    }));
    $("split-alias").replaceChildren(...e.aliases.filter((a) => a !== e.entity).map((a) => {
      const o = el("option", a);
      o.value = a;
      return o;
    }));
    $("split-form").hidden = e.aliases.length < 2;
    $("entity-names").replaceChildren(...corpus.entities({ label: e.label, limit: 300 })
      .filter((x) => x.entity !== e.entity).map((x) => {
        const o = el("option");
        o.value = x.entity;
        return o;
      }));
  }

  const ref = () => ({ name: selected.entity, label: selected.label });
  $("rename-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const name = $("rename-to").value.trim();
    if (name && selected && name !== selected.entity) {
      change({ op: "rename", entity: ref(), name }, { label: selected.label, entity: name });
    }
  });
  $("relabel-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const label = $("relabel-to").value;
    if (selected && label !== selected.label) {
      change({ op: "relabel", entity: ref(), label }, { label, entity: selected.entity });
    }
  });
  $("merge-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const target = $("merge-into").value.trim();
    if (!selected || !target) return;
    const into = corpus.entity(target);
    if (!into) {
      say(`No entity named ${target}.`);
      return;
    }
    change({ op: "merge", entity: ref(), into: { name: into.entity, label: into.label } },
      { label: into.label, entity: into.entity });
  });
  $("split-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const alias = $("split-alias").value;
    if (selected && alias) change({ op: "split", entity: ref(), alias }, { label: selected.label, entity: alias });
  });
  $("hide").addEventListener("click", () => {
    if (!selected) return;
    const gone = selected.entity;
    change({ op: "hide", entity: ref() }, null).then(() => {
      clearSelection();
      remember();
      say(`${gone} is hidden.`);
    });
  });
  undoButton.addEventListener("click", undo);

  // ----- getting the data out, and an index file in -----

  function download(name, data, type) {
    const url = URL.createObjectURL(new Blob([data], { type }));
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  const exporters = {
    "entities-csv": () => download("newslens-entities.csv", corpus.entitiesCsv(), "text/csv"),
    "entities-json": () => download("newslens-entities.json",
      JSON.stringify(corpus.entities({ limit: 10000 }), null, 1), "application/json"),
    "results-csv": () => download("newslens-results.csv", corpus.resultsCsv(box.value, { limit: 1000 }), "text/csv"),
    index: () => download("newslens.nlix", corpus.toIndex(), "application/octet-stream"),
    curation: () => download("newslens-corrections.json", JSON.stringify(curation, null, 1), "application/json"),
  };
  $("exports").addEventListener("click", (ev) => {
    const b = ev.target.closest("[data-export]");
    if (!b) return;
    try {
      exporters[b.dataset.export]?.();
    } catch (e) {
      say(e.message ?? String(e));
    }
  });

  $("open-index").addEventListener("change", async (ev) => {
    const file = ev.target.files[0];
    ev.target.value = "";
    if (!file) return;
    try {
      const next = Corpus.fromIndex(new Uint8Array(await file.arrayBuffer()));
      corpus.free();
      corpus = next;
      mine = [];
      // An opened index lasts until the reload: nothing saved.
      saving = false;
      clearTimeout(mergeTimer);
      await prepareEntities();
      applyCuration(curation, { quiet: true });
      clearSelection();
      openId = null;
      await refresh();
      say(`Opened ${file.name}: ${corpus.live()} articles (until the page is reloaded).`);
    } catch (e) {
      say(`${file.name}: ${e.message ?? e}. The articles you had are still here.`);
    }
  });

  $("open-curation").addEventListener("change", async (ev) => {
    const file = ev.target.files[0];
    ev.target.value = "";
    if (!file) return;
    let parsed;
    try {
      parsed = JSON.parse(await file.text());
    } catch (e) {
      say(`${file.name}: not JSON (${e.message ?? e}).`);
      return;
    }
    if (applyCuration(parsed)) {
      await saveCuration();
      await afterCuration();
    }
  });

  // ----- events -----

  box.addEventListener("input", () => {
    search(box.value);
    if (!box.value.trim()) say(`${corpus.live()} articles ready.`);
  });
  $("search").addEventListener("submit", (e) => e.preventDefault());
  window.addEventListener("popstate", () => restore());
  window.addEventListener("hashchange", () => restore());

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
    if (e.key === "Escape") {
      // Escape closes the phone reader, else clears the search.
      if (document.body.classList.contains("reading") && matchMedia("(max-width: 40rem)").matches) {
        closeReader();
      } else if (e.target === box || !typing) {
        search("");
        say(`${corpus.live()} articles ready.`);
        box.focus();
      }
      return;
    }
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

  // Shows what the URL names: its query, article and entity.
  function restore() {
    const st = stateFromHash();
    if (st.e && LABELS[st.e.label]) select(st.e.label, st.e.entity, { push: false });
    else clearSelection();
    search(st.q, { push: false });
    if (st.a !== null) {
      show(st.a, st.q.trim() || undefined, { reveal: true });
    } else {
      openId = null;
      document.body.classList.remove("reading");
    }
  }

  // ----- the saved index, in segments, so that a reload does not redo the work -----

  // Each addition is kept as segments: index files (the module's format) of the articles it
  // added and what recognition found in them, with the added files' keys, in a database of its
  // own; adding never rewrites what is saved. A segment holds whole files, about
  // SEGMENT_TEXT bytes of them (more for one larger file), so that writing one is a short call.
  // A reload reads the bundled articles, then the segments in order (`addIndex`: the same
  // corpus, scored as one), marks removed the files no longer stored, and parses only the
  // stored files no segment holds. A moment after a change, neighbouring small segments merge
  // and a segment a quarter removed is written again without them: in the worker (up to
  // WORKER_MERGE_BYTES, the corpus on screen untouched), else on the main thread (up to
  // MERGE_BYTES, one bounded call at a time). A segment that cannot be read (damaged, or made over another
  // version's bundled articles) is dropped and its files read again from storage, which stays
  // the truth.
  const SEGMENTS_DB = "newslens-segments";
  const MERGE_BYTES = 512 * 1024;
  const WORKER_MERGE_BYTES = 4 * 1024 * 1024;
  const baseSignature = indexBytes ? `index:${indexBytes.length}` : "seeds";
  // The saved segments in order: {key, first, end (article ids), size (bytes), files (entries)}.
  let segments = [];
  let nextKey = 1;

  function openSegments() {
    if (!db) return Promise.resolve(null);
    // The single saved index of earlier versions of the page: segments replace it.
    try {
      indexedDB.deleteDatabase("newslens-snapshot");
    } catch {
      // Nothing to delete.
    }
    return new Promise((resolve) => {
      const req = indexedDB.open(SEGMENTS_DB, 1);
      req.onupgradeneeded = () => req.result.createObjectStore("segments");
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => resolve(null);
    }).catch(() => null);
  }

  // Runs `work(store)` in one read-write transaction of the segments; resolves once it is
  // committed.
  function segmentsTransaction(work) {
    const tx = segmentsDb.transaction("segments", "readwrite");
    const done = new Promise((ok, fail) => {
      tx.oncomplete = ok;
      tx.onabort = tx.onerror = () => fail(tx.error);
    });
    work(tx.objectStore("segments"));
    return done;
  }

  // The record of articles `first` to `end` (ids) and the files among `entries` that lie there
  // and are not removed, numbered as the segment numbers them (removed articles left out).
  function segmentRecord(first, end, entries) {
    const ids = corpus.liveIds();
    const rank = new Map();
    let n = 0;
    for (const id of ids) if (id >= first && id < end) rank.set(id, n++);
    const files = entries.filter((m) => m.first >= first && m.first < end && (m.count === 0 || rank.has(m.first)))
      .map((m) => ({ key: m.key, name: m.name, first: rank.get(m.first) ?? n, count: m.count }));
    return { base: baseSignature, files, bytes: corpus.segmentIndex(first, end) };
  }

  // Saves files just added (`ok` of addAll: {first, count, bytes | text, segment?}): a segment
  // the worker made as it is; files the main thread added as segments of about SEGMENT_TEXT
  // bytes each, a frame apart.
  async function writeSegments(ok) {
    if (!saving || !segmentsDb) return;
    // Runs of files added together: by one segment the worker made, or by the main thread.
    for (let i = 0; i < ok.length;) {
      const seg = ok[i].segment;
      let j = i + 1;
      while (j < ok.length && ok[j].segment === seg) j++;
      const run = ok.slice(i, j);
      i = j;
      if (seg) {
        // Saved as the worker made it.
        const entries = run.map((f) => entryOf(f));
        const files = entries.map((m) => ({ key: m.key, name: m.name, first: m.first - seg.first, count: m.count }));
        await saveSegment({ base: baseSignature, files, bytes: seg.bytes }, seg.first, seg.end, entries);
        continue;
      }
      for (const batch of batchesOf(run, SEGMENT_TEXT)) {
        const entries = batch.map((f) => entryOf(f));
        const first = entries[0].first;
        const end = entries.at(-1).first + entries.at(-1).count;
        if (end <= first) continue;
        await saveSegment(segmentRecord(first, end, entries), first, end, entries);
        await nextFrame();
      }
    }
    scheduleMerge();
  }

  // Saves `record` as the next segment: articles first .. end (ids), of the files `entries`.
  async function saveSegment(record, first, end, entries) {
    const key = nextKey++;
    await segmentsTransaction((os) => os.put(record, key));
    segments.push({ key, first, end, size: record.bytes.length, files: entries });
  }

  // Merges a moment after the last change, so that a run of changes merges once.
  function scheduleMerge() {
    clearTimeout(mergeTimer);
    mergeTimer = setTimeout(() => mergeSegments().catch(() => {}), 1000);
  }

  // One merge, then the next a frame later, until none is due.
  async function mergeSegments() {
    if (!saving || !segmentsDb) return;
    if (adding) {
      scheduleMerge();
      return;
    }
    const live = corpus.liveIds();
    // Live articles with ids in first .. end (liveIds is ascending).
    const below = (id) => {
      let lo = 0;
      let hi = live.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (live[mid] < id) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    const liveIn = (seg) => below(seg.end) - below(seg.first);
    const limit = startWorker() ? WORKER_MERGE_BYTES : MERGE_BYTES;
    for (let i = 0; i < segments.length; i++) {
      let j = i + 1;
      let size = segments[i].size;
      while (j < segments.length && size + segments[j].size <= limit) size += segments[j++].size;
      const seg = segments[i];
      const removed = seg.end - seg.first - liveIn(seg);
      if (j - i < 2 && removed * 4 <= seg.end - seg.first) continue;
      const run = segments.slice(i, j);
      const first = seg.first;
      const end = run.at(-1).end;
      const entries = mine.filter((m) => m.first >= first && m.first < end);
      const record = entries.length ? await mergedRecord(run, first, end, entries) : null;
      // A merge the worker could not make is not tried again this visit (the segments stay as
      // they are, all readable).
      if (record === undefined) return;
      // Changed meanwhile (an addition, a removal, another merge): tried again later.
      if (segments.slice(i, j).some((s, k) => s !== run[k]) ||
        mine.filter((m) => m.first >= first && m.first < end).length !== entries.length) {
        scheduleMerge();
        return;
      }
      await segmentsTransaction((os) => {
        for (const r of run) os.delete(r.key);
        if (record) os.put(record, seg.key);
      });
      segments.splice(i, j - i, ...(record ? [{ key: seg.key, first, end, size: record.bytes.length, files: entries }] : []));
      await nextFrame();
      return mergeSegments();
    }
  }

  // The record of the segments `run` (ids first .. end) merged, with the files `entries`: made
  // by the worker from the saved records, else by the corpus; undefined if the worker failed.
  async function mergedRecord(run, first, end, entries) {
    if (!startWorker()) return segmentRecord(first, end, entries);
    const os = segmentsDb.transaction("segments").objectStore("segments");
    const records = await Promise.all(run.map((r) => request(os.get(r.key))));
    const keep = entries.map((m) => m.key).filter((k) => k !== null);
    // The records read are copies of their own: their bytes are handed over, not copied again.
    const merged = await askWorker({ merge: records.map((r) => ({ bytes: r.bytes, files: r.files })), keep },
      records.map((r) => r.bytes.buffer));
    if (merged.failed) return undefined;
    return { base: baseSignature, files: merged.files, bytes: merged.bytes };
  }

  // Reads the saved segments into the corpus, in order; returns the stored files' keys they
  // hold and what went wrong.
  async function readSegments(storedKeys) {
    const held = new Set();
    const problems = [];
    if (!segmentsDb) return { held, problems };
    const os = segmentsDb.transaction("segments").objectStore("segments");
    const [keys, records] = await Promise.all([request(os.getAllKeys()), request(os.getAll())]);
    const dropped = [];
    for (const [i, seg] of records.entries()) {
      nextKey = Math.max(nextKey, keys[i] + 1);
      const fine = seg && seg.base === baseSignature && seg.bytes instanceof Uint8Array && Array.isArray(seg.files);
      let first;
      try {
        if (!fine) throw new Error(seg?.base !== baseSignature ? "made over other bundled articles" : "damaged record");
        first = corpus.addIndex(seg.bytes, Uint32Array.from(seg.files.map((f) => f.first)));
      } catch (e) {
        problems.push(e?.message ?? String(e));
        dropped.push(keys[i]);
        continue;
      }
      const files = [];
      for (const f of seg.files) {
        const entry = entryOf({ ...f, first: first + f.first });
        if (f.key !== null && storedKeys.has(f.key) && !held.has(f.key)) {
          held.add(f.key);
          mine.push(entry);
          files.push(entry);
        } else if (f.count > 0) {
          corpus.removeFile(entry.first);
        }
      }
      segments.push({ key: keys[i], first, end: corpus.len(), size: seg.bytes.length, files });
    }
    if (dropped.length) {
      await segmentsTransaction((os) => dropped.forEach((k) => os.delete(k))).catch(() => {});
    }
    return { held, problems };
  }

  // ----- start -----

  segmentsDb = await openSegments();
  let storedKeys = new Set();
  try {
    if (db) storedKeys = new Set(await request(store("readonly").getAllKeys()));
  } catch (e) {
    startProblem = ` Your stored articles could not be read (${e?.message ?? e}).`;
  }
  const { held, problems: segmentProblems } = await readSegments(storedKeys).catch((e) => ({
    held: new Set(), problems: [e?.message ?? String(e)],
  }));
  if (segmentProblems.length) {
    startProblem += ` The saved index could not be opened (${segmentProblems.join("; ")}); it was rebuilt from your stored files.`;
  }
  const missing = [...storedKeys].filter((k) => !held.has(k));
  let saved = [];
  if (missing.length) {
    try {
      if (!held.size) {
        saved = await storedFiles();
      } else {
        const tx = db.transaction("files");
        saved = await Promise.all(missing.map((k) => request(tx.objectStore("files").get(k))));
      }
    } catch (e) {
      startProblem = ` Your stored articles could not be read (${e?.message ?? e}).`;
    }
  }
  if (saved.length) {
    // Records as this page writes them; anything else is damaged and skipped.
    const readable = (await inBatches(saved, readFileRecord)).filter(Boolean);
    const { ok, errors } = await addAll(readable, "Loading your articles:");
    mine.push(...ok.map((f) => entryOf(f)));
    await writeSegments(ok).catch(() => {});
    const damaged = saved.length - readable.length;
    const problems = [...(damaged ? [`${damaged} stored record(s) are damaged`] : []), ...errors];
    if (problems.length) {
      startProblem += ` Not loaded: ${listed(problems)}.`;
    }
  }
  await prepareEntities();
  scheduleMerge();
  await loadCuration();
  renderList();
  renderEntities();
  const initial = stateFromHash();
  restore();
  say((initial.q ? status.textContent : `${corpus.live()} articles ready.`) + startProblem);
  if (initial.a === null && corpus.len() > 0) {
    show(corpus.liveIds()[0] ?? 0, initial.q || undefined);
    openId = null;
    document.body.classList.remove("reading");
  }
  if (baseCount === 0) say("No articles yet: add some.");
  await describeStorage();
}

newslensPage().catch((e) => {
  document.getElementById("status").textContent = `NewsLens could not start: ${e.message ?? e}`;
});
