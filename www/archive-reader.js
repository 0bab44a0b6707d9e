// Reads a published archive (`newslens publish`) over HTTP: for each query, asks the module
// which files it needs, fetches them (each once; the browser's HTTP cache keeps them across
// visits), decompresses them and hands them over, until the module can answer. No server code:
// any static host serves the archive.

/** Undoes the gzip `newslens publish` wrote (a host that already decoded it passes through). */
async function gunzip(bytes) {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export class ArchiveReader {
  /** Opens the archive at `url` (its directory) with the module's `Archive` class. `init` is
   * passed to every `fetch` (say `{cache: "no-store"}` to measure a first visit). */
  static async open(Archive, url, init = {}) {
    const reader = new ArchiveReader(new URL(url.endsWith("/") ? url : `${url}/`, location.href), init);
    reader.archive = new Archive(await reader.fetchFile("manifest"));
    return reader;
  }

  constructor(base, init = {}) {
    this.base = base;
    this.init = init;
    this.loading = new Map();
    /** Bytes and requests fetched so far (as sent: compressed). */
    this.bytes = 0;
    this.requests = 0;
  }

  async fetchFile(name) {
    const response = await fetch(new URL(name, this.base), this.init);
    if (!response.ok) throw new Error(`the archive's file ${name} could not be fetched (HTTP ${response.status})`);
    const packed = new Uint8Array(await response.arrayBuffer());
    this.bytes += packed.length;
    this.requests += 1;
    return gunzip(packed);
  }

  /** Fetches and adds a file once, however many searches ask for it at the same time. */
  load(name) {
    if (!this.loading.has(name)) {
      const done = this.fetchFile(name).then((bytes) => this.archive.addFile(name, bytes));
      // A failed fetch is tried again by the next search that needs the file.
      done.catch(() => this.loading.delete(name));
      this.loading.set(name, done);
    }
    return this.loading.get(name);
  }

  /** Searches as `Corpus.search` does, fetching what the query needs first. */
  search(query, options = { limit: 10 }) {
    return this.answer(query, { ...options, first: false });
  }

  /** The first hits, exactly as `search` gives them, fetching only what they need (a query of
   * words: its terms' heads, the articles each scores best): `{total, hits, exact}`. When
   * `exact` is false, `total` is a lower bound, and `search` counts every match. */
  searchFirst(query, options = { limit: 10 }) {
    return this.answer(query, { ...options, first: true });
  }

  async answer(query, options) {
    // Each round fetches what the previous one showed is needed: the shards of the query's
    // words, then those of their expansions and postings (or heads), then the articles shown.
    // One call both asks what is missing and, when nothing is, answers. A query takes three to
    // nine rounds; one still asking after sixteen is reading a damaged archive.
    for (let round = 0; round < 16; round++) {
      const r = this.archive.attempt(query, options);
      if (!r.needs) return r;
      await Promise.all(r.needs.map((name) => this.load(name)));
    }
    throw new Error("the archive kept asking for more files: it may be damaged");
  }
}
