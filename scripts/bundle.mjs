// Bundles the built page in www/ into target/newslens.html: one self-contained
// file that works when opened straight from disk (file://, no server).
//
// - style.css becomes an inline <style>;
// - www/pkg/newslens.js (wasm-bindgen --target web) and app.js become ONE inline
//   module script: the pkg's `export`s are turned into plain declarations, the
//   names app.js imports from it are bound with `const`, and the import line is
//   dropped from app.js;
// - the wasm module and index.nlix go in as base64 in
//   <script type="application/octet-stream" id="nl-wasm"> / id="nl-index">
//   blocks (not executed), which app.js decodes instead of fetching;
// - the Content-Security-Policy keeps forbidding inline and remote scripts in
//   general: script-src and style-src list only the SHA-256 hashes of the exact
//   inline script and style text (plus 'wasm-unsafe-eval'), so the single file
//   runs from disk without allowing arbitrary inline script.
//
// Usage: node scripts/bundle.mjs   (run by `make site`; Node standard library only)

import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = fileURLToPath(new URL("..", import.meta.url));
const OUT = "target/newslens.html";

function fail(message) {
  console.error(`bundle: ${message}`);
  process.exit(1);
}

function input(path, encoding) {
  if (!existsSync(root + path)) fail(`missing input ${path} (run \`make site\` first)`);
  return readFileSync(root + path, encoding);
}

// The HTML parser turns CRLF into LF in script and style text; hash what it will see.
const text = (path) => input(path, "utf8").replace(/\r\n?/g, "\n");
const sha256 = (s) => `'sha256-${createHash("sha256").update(s, "utf8").digest("base64")}'`;
// Replacement through a function, so that `$` in the inserted text stays literal.
function replaceOnce(html, pattern, what, replacement) {
  if (!pattern.test(html)) fail(`www/index.html has no ${what}`);
  return html.replace(pattern, () => replacement);
}

let html = text("www/index.html");
const css = text("www/style.css");
let pkg = text("www/pkg/newslens.js");
let app = text("www/app.js");
const wasm = input("www/pkg/newslens_bg.wasm").toString("base64");
const index = input("www/index.nlix").toString("base64");

// 1. The pkg's exports: `exported name -> local name`, with the `export` keywords removed.
const exported = new Map();
pkg = pkg.replace(
  /^export\s+((?:async\s+)?(?:function\*?|class|const|let|var)\s+([\w$]+))/gm,
  (_, declaration, name) => (exported.set(name, name), declaration),
);
pkg = pkg.replace(/^export\s*\{([^}]*)\}\s*;?/gm, (_, list) => {
  for (const entry of list.split(",").map((s) => s.trim()).filter(Boolean)) {
    const [local, name = local] = entry.split(/\s+as\s+/);
    exported.set(name, local);
  }
  return "";
});

// 2. app.js's import of the pkg, replaced by bindings of the names it uses.
const importLine = /^import\s+(?:([\w$]+)\s*,?\s*)?(?:\{([^}]*)\})?\s*from\s*(["'])\.\/pkg\/newslens\.js\3\s*;?[ \t]*\n?/m;
const found = app.match(importLine);
if (!found) fail('www/app.js has no `import ... from "./pkg/newslens.js"` line');
const bindings = []; // [name used in app.js, name exported by the pkg]
if (found[1]) bindings.push([found[1], "default"]);
for (const entry of (found[2] ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
  const [name, local = name] = entry.split(/\s+as\s+/);
  bindings.push([local, name]);
}
const declarations = bindings.map(([local, name]) => {
  if (!exported.has(name)) fail(`app.js imports ${name}, which www/pkg/newslens.js does not export`);
  return exported.get(name) === local ? "" : `const ${local} = ${exported.get(name)};\n`;
});
app = app.replace(importLine, "");

const script = `${pkg.trimEnd()}\n${declarations.join("")}\n${app}`;

// 3. Anything left over would break silently in the browser: fail here instead.
const leftover = script.match(/^\s*export[\s{*].*$/m) ?? script.match(/^\s*import(?:\s+[\w$]|\s*[{*"']).*$/m);
if (leftover) fail(`unexpected line left in the inline script (new wasm-bindgen output?): ${leftover[0].trim()}`);
if (/<\/script|<!--/i.test(script)) fail("the inline script contains `</script` or `<!--`");
if (/<\/style/i.test(css)) fail("style.css contains `</style`");
const check = spawnSync(process.execPath, ["--input-type=module", "--check"], { input: script, encoding: "utf8" });
if (check.status !== 0) fail(`the inline script does not parse (a name clash between pkg and app.js?):\n${check.stderr}`);

// 4. The page: inline style, data blocks and script; CSP with their hashes.
const cspMeta = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)"/i;
const csp = new Map(
  (html.match(cspMeta)?.[2] ?? "").split(";").map((d) => d.trim()).filter(Boolean).map((d) => [d.split(/\s+/)[0], d]),
);
csp.set("script-src", `script-src ${sha256(script)} 'wasm-unsafe-eval'`);
csp.set("style-src", `style-src ${sha256(css)}`);
html = replaceOnce(html, cspMeta, "Content-Security-Policy meta", `${html.match(cspMeta)?.[1]}${[...csp.values()].join("; ")}"`);
html = replaceOnce(html, /<link\s+rel="stylesheet"\s+href="style\.css"\s*\/?>/, "style.css link", `<style>${css}</style>`);
html = replaceOnce(
  html,
  /<script\s+type="module"\s+src="app\.js"\s*><\/script>/,
  "app.js module script",
  `<script type="application/octet-stream" id="nl-wasm">${wasm}</script>\n` +
    `<script type="application/octet-stream" id="nl-index">${index}</script>\n` +
    `<script type="module">${script}</script>`,
);

mkdirSync(root + "target", { recursive: true });
writeFileSync(root + OUT, html);
const gzip = gzipSync(Buffer.from(html), { level: 9 }).length;
console.log(`bundle: ${OUT} is ${Buffer.byteLength(html)} bytes (${gzip} gzip)`);
