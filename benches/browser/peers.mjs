// The peers NewsLens is measured against, at the versions pinned in package.json (and
// package-lock.json): installed into benches/browser/node_modules when missing or different.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export function ensurePeers() {
  const want = JSON.parse(fs.readFileSync(path.join(here, 'package.json'), 'utf8')).dependencies;
  const have = (name) => {
    const pj = path.join(here, 'node_modules', name, 'package.json');
    return fs.existsSync(pj) ? JSON.parse(fs.readFileSync(pj, 'utf8')).version : null;
  };
  const stale = Object.entries(want).filter(([name, v]) => have(name) !== v);
  if (stale.length) {
    console.error(`bench: installing ${stale.map(([n, v]) => `${n}@${v}`).join(', ')}`);
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--silent'], { cwd: here, stdio: 'inherit' });
  }
}
