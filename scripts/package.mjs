// `make package`: assembles the npm package in target/npm/ from the modules `make size` and the
// bundler build wrote:
//   web/          the full module, wasm-bindgen's web target (the default export)
//   bundler/      the full module for bundlers that load WebAssembly as ES modules
//   search-only/  the search-only module (web target): loads an index and searches it
// with package.json (name, version, type, exports, types, files), README.md and LICENSE.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "target/npm");
const cargo = readFileSync(join(root, "Cargo.toml"), "utf8");
const field = (name) => cargo.match(new RegExp(`^${name} = "([^"]*)"`, "m"))?.[1];
const version = field("version");
if (!version) throw new Error("no version in Cargo.toml");

const parts = {
  web: join(root, "target/size/full"),
  "search-only": join(root, "target/size/core"),
  bundler: join(root, "target/npm-bundler"),
};
rmSync(out, { recursive: true, force: true });
for (const [name, from] of Object.entries(parts)) {
  if (!existsSync(join(from, "newslens_bg.wasm"))) {
    throw new Error(`${from}: no module built (run make package, which builds it)`);
  }
  mkdirSync(join(out, name), { recursive: true });
  for (const file of ["newslens.js", "newslens_bg.js", "newslens_bg.wasm", "newslens.d.ts", "newslens_bg.wasm.d.ts"]) {
    if (existsSync(join(from, file))) cpSync(join(from, file), join(out, name, file));
  }
}

const pkg = {
  name: "newslens",
  version,
  description: field("description"),
  license: field("license"),
  keywords: ["search", "wasm", "named-entities", "news", "full-text"],
  type: "module",
  main: "./web/newslens.js",
  types: "./web/newslens.d.ts",
  exports: {
    ".": { types: "./web/newslens.d.ts", default: "./web/newslens.js" },
    "./bundler": { types: "./bundler/newslens.d.ts", default: "./bundler/newslens.js" },
    "./search-only": { types: "./search-only/newslens.d.ts", default: "./search-only/newslens.js" },
    "./newslens_bg.wasm": "./web/newslens_bg.wasm",
    "./search-only/newslens_bg.wasm": "./search-only/newslens_bg.wasm",
    "./package.json": "./package.json",
  },
  files: ["web/", "bundler/", "search-only/", "README.md", "LICENSE"],
  sideEffects: ["./bundler/newslens.js"],
};
writeFileSync(join(out, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
cpSync(join(root, "LICENSE"), join(out, "LICENSE"));
writeFileSync(
  join(out, "README.md"),
  `# NewsLens ${version}

Search and entity explorer for news archives, in the browser: no server sees the articles.

\`\`\`js
import init, { Corpus } from "newslens";
import wasmUrl from "newslens/newslens_bg.wasm";    // esbuild: --loader:.wasm=file

await init({ module_or_path: wasmUrl });            // or init() with the .wasm next to the script
const corpus = Corpus.withSeeds();                  // or new Corpus(), then addFile(name, bytes)
const { total, hits } = corpus.search("Kem Sokha");
for (const hit of hits) console.log(hit.title, hit.snippet.map((s) => s.text).join(""));
\`\`\`

- \`newslens\`: the full module (every format, entity recognition), for the web.
- \`newslens/bundler\`: the same for bundlers that load WebAssembly as ES modules (webpack, Vite
  with a wasm plugin).
- \`newslens/search-only\`: a module a quarter the size that loads an index written by
  \`newslens index\` (\`Corpus.fromIndex(bytes)\`) and searches it; it reads no article files.

Errors are thrown as \`Error\`s named \`NewsLensError\` with a \`kind\` (\`TooLarge\`, \`Binary\`,
\`Empty\`, \`CorpusFull\`, \`Malformed\`, \`Unsupported\`, \`InvalidArgument\`) and the figures of
the problem as number properties. Types are in \`newslens.d.ts\`.
`,
);
console.log(`package: target/npm/ (newslens ${version}): ${Object.keys(parts).join(", ")}`);
