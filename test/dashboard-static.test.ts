// Serving the dashboard: built files and the app for any other page path, but never for Herald's
// own prefixes (API, unsubscribe, tracking, hooks), and a page that says how to build when
// ui/dist is missing.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { registerDashboard } from '../src/http/dashboard-static.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function serverWith(dist: string) {
  const app = Fastify();
  app.get('/api/v1/lists', async () => ({ items: [] }));
  app.get('/u/:token', async () => 'unsubscribe page');
  await registerDashboard(app, dist);
  await app.ready();
  return app;
}

describe('dashboard static files', () => {
  it('serves the built app, falls back to it for page paths, and leaves API and public prefixes alone', async () => {
    const dist = mkdtempSync(path.join(os.tmpdir(), 'herald-dist-'));
    dirs.push(dist);
    mkdirSync(path.join(dist, 'assets'));
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Herald app</title>');
    writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
    const app = await serverWith(dist);
    try {
      const root = await app.inject({ url: '/' });
      expect(root.statusCode).toBe(200);
      expect(root.body).toContain('Herald app');
      expect(root.headers['cache-control']).toBe('no-cache');
      expect(root.headers['content-security-policy']).toContain("script-src 'self'");
      const deep = await app.inject({ url: '/campaigns/3' });
      expect(deep.statusCode).toBe(200);
      expect(deep.body).toContain('Herald app');
      const asset = await app.inject({ url: '/assets/index-abc123.js' });
      expect(asset.statusCode).toBe(200);
      expect(asset.headers['cache-control']).toContain('immutable');
      // An asset name from an older build is a 404, not the app's HTML served as JavaScript.
      expect((await app.inject({ url: '/assets/index-old999.js' })).statusCode).toBe(404);
      // Real routes win; unknown paths under Herald's prefixes stay JSON 404s.
      expect((await app.inject({ url: '/api/v1/lists' })).json()).toEqual({ items: [] });
      expect((await app.inject({ url: '/u/abc' })).body).toBe('unsubscribe page');
      for (const url of ['/api/v1/nope', '/api/', '/u/a/b', '/o/x', '/l/x', '/hooks/mailgun', '/healthz/x']) {
        const res = await app.inject({ url });
        expect(res.statusCode, url).toBe(404);
        expect(res.json().error.code, url).toBe('not_found');
      }
    } finally {
      await app.close();
    }
  });

  it('says how to build the dashboard when ui/dist is missing', async () => {
    const app = await serverWith(path.join(os.tmpdir(), 'herald-no-such-dist'));
    try {
      const res = await app.inject({ url: '/' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toContain('npm run build:ui');
      expect((await app.inject({ url: '/api/v1/nope' })).statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });
});
