// What the browser tests share: a static server for one folder on 127.0.0.1, and Debian
// Chromium started by playwright-core with the flags this machine's closed network needs.
import http from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { createRequire } from "node:module";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".wasm": "application/wasm",
  ".txt": "text/plain; charset=utf-8",
  ".nlix": "application/octet-stream",
};

/** Serves `dir`; resolves to `{server, base}` (the base URL ends in `/`). `delay` (ms) holds
 * every response back that long, as a distant host would; `requests` counts them. */
export async function serve(dir, { delay = 0, requests = [] } = {}) {
  const server = http.createServer(async (req, res) => {
    requests.push(req.url);
    if (delay) await new Promise((ok) => setTimeout(ok, delay));
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
    const file = join(dir, path.endsWith("/") ? path + "index.html" : path);
    if (!file.startsWith(dir)) return res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { server, base: `http://127.0.0.1:${server.address().port}/` };
}

/** Headless Chromium, from the project's own playwright-core (`.tools/`, by .ci/setup). */
export function launch(root) {
  const { chromium } = createRequire(join(root, ".tools/package.json"))("playwright-core");
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}
