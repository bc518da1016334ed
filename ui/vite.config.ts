// The dashboard build: `npm run build:ui` writes ui/dist, which Herald serves itself.
// Everything is bundled (no CDN), so the dashboard works offline.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: { outDir: path.join(root, 'dist'), emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 800 },
  server: {
    // `npx vite ui` for UI work: API calls go to a Herald started with `npm start`.
    proxy: { '/api': `http://127.0.0.1:${process.env.HERALD_PORT ?? 8025}` },
  },
});
