// NewsLens's worker: reads, indexes and recognises files off the page's main thread. Each
// message is a batch of files ({id, files: [{name, bytes}]}); the answer is the batch as one
// index segment ({id, results: [{count} | {error}], bytes}: the module's index format with what
// recognition found), which the page adds to its corpus with `addIndex` and keeps as it is.
import init, { Corpus } from "./pkg/newslens.js";

const ready = init();

self.onmessage = async ({ data }) => {
  const { id, files } = data;
  try {
    await ready;
    const corpus = new Corpus();
    const results = files.map((f) => {
      const first = corpus.len();
      try {
        corpus.addFile(f.name, f.bytes);
        return { count: corpus.len() - first };
      } catch (e) {
        return { error: e?.message ?? String(e) };
      }
    });
    // Recognition of every article in one call (linking is the page's, over its whole corpus).
    corpus.prepareEntities(Math.max(1, corpus.len()));
    const bytes = corpus.toIndex();
    corpus.free();
    self.postMessage({ id, results, bytes }, [bytes.buffer]);
  } catch (e) {
    self.postMessage({ id, failed: e?.message ?? String(e) });
  }
};
