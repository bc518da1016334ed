// Run before `npm start`: build the dashboard when ui/dist is missing or older than its sources,
// so `npm install && npm start` on a fresh clone serves it. Without Vite (a production install
// without dev dependencies) it says so and Herald starts anyway, with a page that explains.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ui = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../ui');
const built = path.join(ui, 'dist', 'index.html');

function newestMtime(p: string): number {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, name)));
  return newest;
}

const sources = [path.join(ui, 'src'), path.join(ui, 'index.html'), path.join(ui, 'vite.config.ts')];
const stale = !existsSync(built) || statSync(built).mtimeMs < Math.max(...sources.map(newestMtime));
if (stale) {
  const vite = path.resolve(ui, '../node_modules/vite/bin/vite.js');
  if (!existsSync(vite)) {
    console.warn('dashboard: ui/dist is missing or stale and Vite is not installed (npm install without --omit=dev builds it)');
  } else {
    console.log('dashboard: building ui/dist …');
    const r = spawnSync(process.execPath, [vite, 'build', '--config', path.join(ui, 'vite.config.ts'), '--logLevel', 'warn'], { stdio: 'inherit' });
    if (r.status !== 0) console.warn('dashboard: the build failed; Herald starts without it');
  }
}
