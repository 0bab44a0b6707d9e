// Typing latency on the page: queries typed key by key into the search box, each keystroke's
// time from input to the next paint as Chromium's Event Timing reports it (PerformanceObserver
// `event` entries grouped by interaction, the longest event of each). Used by the page test
// (`tests/e2e/`, which asserts on it) and by the browser benchmark (which reports it).

/// Queries a reader of a general news archive might type: words, a phrase, an exclusion, an
/// entity filter, dates. Written for this measurement, not taken from any test collection.
export const TYPED = [
  "blair brown election",
  "\"prime minister\" iraq",
  "mobile phone market",
  "oil prices rise -opec",
  "person:\"tony blair\" tax",
  "film award oscar nominations",
  "after:2005 sort:date economy",
  "chelsea arsenal premiership",
  "microsoft software security",
  "interest rates bank of england",
  "place:london olympic bid",
  "music sales download",
];

/// Types each query into `page`'s search box (`delay` ms between keys), clearing the box with
/// Select-all and Backspace after each; returns `{ keystrokes, interactions, p50, p95, max }`
/// in milliseconds. Keystrokes Event Timing did not report took under its 16 ms threshold and
/// count as 16 ms.
export async function typingLatency(page, { queries = TYPED, delay = 40, box = "input[type=search]" } = {}) {
  await page.evaluate(() => {
    window.__interactions = new Map();
    window.__observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (!e.interactionId) continue;
        const was = window.__interactions.get(e.interactionId) ?? 0;
        window.__interactions.set(e.interactionId, Math.max(was, e.duration));
      }
    });
    window.__observer.observe({ type: "event", durationThreshold: 16 });
  });
  await page.click(box);
  let keystrokes = 0;
  for (const q of queries) {
    await page.keyboard.type(q, { delay });
    keystrokes += q.length;
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Backspace");
    keystrokes += 2;
    await page.waitForTimeout(delay);
  }
  // Entries arrive after the paint they measure.
  await page.waitForTimeout(300);
  const reported = await page.evaluate(() => {
    const all = [...window.__interactions.values()];
    window.__observer.disconnect();
    return all;
  });
  const all = reported.concat(Array(Math.max(0, keystrokes - reported.length)).fill(16)).sort((a, b) => a - b);
  const at = (p) => all[Math.min(all.length - 1, Math.ceil(p * all.length) - 1)];
  return { keystrokes, interactions: reported.length, p50: at(0.5), p95: at(0.95), max: all[all.length - 1] };
}
