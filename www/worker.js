// NewsLens's worker: reads, indexes and recognises files off the page's main thread, and merges
// saved segments. A message is a batch of files ({id, files: [{name, bytes}]}), answered with
// the batch as one index segment ({id, results: [{count} | {error}], bytes}: the module's index
// format with what recognition found), which the page adds to its corpus with `addIndex` and
// keeps as it is; or segments to merge ({id, merge, keep}), answered with the merged one.
import init, { Corpus } from "./pkg/newslens.js";

const ready = init();

// Merges saved segments ({bytes, files: [{key, name, first, count}]}, in order) into one,
// leaving out the files whose keys are not in `keep`: {bytes, files} of the merged segment.
function merge(segments, keep) {
  const corpus = new Corpus();
  const kept = [];
  for (const seg of segments) {
    const first = corpus.addIndex(seg.bytes, Uint32Array.from(seg.files.map((f) => f.first)));
    for (const f of seg.files) {
      if (keep.has(f.key)) kept.push({ ...f, first: first + f.first });
      else if (f.count > 0) corpus.removeFile(first + f.first);
    }
  }
  // Ids counted again without the files left out, as the merged segment counts them.
  const rank = new Map(Array.from(corpus.liveIds(), (id, i) => [id, i]));
  const live = rank.size;
  const files = kept.map((f) => ({ ...f, first: rank.get(f.first) ?? live }));
  const bytes = corpus.segmentIndex(0, corpus.len());
  corpus.free();
  return { bytes, files };
}

self.onmessage = async ({ data }) => {
  const { id, files } = data;
  try {
    await ready;
    if (data.merge) {
      const merged = merge(data.merge, new Set(data.keep));
      self.postMessage({ id, ...merged }, [merged.bytes.buffer]);
      return;
    }
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
