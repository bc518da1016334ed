// The dashboard in a real browser: Debian's Chromium driven by playwright-core against a real
// Herald (HTTP server, delivery worker and the built-in mail catcher as the SMTP sink, SQLite in a
// temporary directory). A marketer signs in, imports contacts from a CSV file, creates a
// campaign, meets the red pre-flight panel for the missing company profile, fixes it in Settings,
// launches, and watches the KPI tiles move as the worker sends and a recipient opens. Screenshots
// go to test/screenshots/.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.ts';
import { type RunningHerald, startHerald } from '../src/wire.ts';
import { freePort } from './support/transport-fixtures.ts';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = path.resolve(import.meta.dirname, '..');
const SHOTS = path.join(ROOT, 'test/screenshots');
const KEY = 'hk_e2e00001_dashboardbrowsertestkey0000';
const ADMIN_EMAIL = 'owner@shop.example.com';
const ADMIN_PASSWORD = 'correct horse battery staple';
const hasChromium = existsSync(CHROMIUM);

if (!hasChromium) {
  console.warn(`\n*** ${CHROMIUM} is missing: the dashboard browser test is SKIPPED. Install it (apt-get install -y chromium); .ci/run does. ***\n`);
}

describe.skipIf(!hasChromium)('dashboard in Chromium', () => {
  let herald: RunningHerald;
  let browser: Browser;
  let page: Page;
  let base: string;
  let dataDir: string;
  const consoleErrors: string[] = [];

  const apiCall = async (method: string, url: string, body?: unknown): Promise<any> => {
    const res = await fetch(base + url, {
      method,
      headers: { authorization: `Bearer ${KEY}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = res.status === 204 ? null : await res.json();
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
  /** Every form control on the page has a name a screen reader can say (a label or aria-label). */
  // (A string, not a function: this file is type-checked without the DOM library.)
  const unlabelled = (p: Page): Promise<string[]> =>
    p.evaluate(`[...document.querySelectorAll('input, select, textarea')]
      .filter((el) => el.type !== 'hidden' && (el.labels?.length ?? 0) === 0 && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
      .map((el) => el.outerHTML.slice(0, 120))`);
  const shot = async (name: string) => {
    expect(await unlabelled(page), `form controls without a label on ${name}`).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  };

  beforeAll(async () => {
    // The UI is built once when ui/dist is missing or older than ui/src (the same script npm start runs).
    const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts/ensure-ui.ts')], { cwd: ROOT, encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    expect(existsSync(path.join(ROOT, 'ui/dist/index.html')), 'ui/dist was not built').toBe(true);
    mkdirSync(SHOTS, { recursive: true });

    dataDir = mkdtempSync(path.join(os.tmpdir(), 'herald-e2e-'));
    const port = await freePort();
    const config = loadConfig({
      HERALD_DATA_DIR: dataDir,
      HERALD_PORT: String(port),
      HERALD_CATCHER_PORT: '0',
      HERALD_INBOUND: 'off',
      HERALD_BOOTSTRAP_API_KEY: KEY,
      HERALD_LOG_LEVEL: 'warn',
      HERALD_WORKER_POLL_MS: '100',
      HERALD_WEBHOOKS_ALLOW_HTTP: '1',
      // The first user (owner) signs in with a password; hashing is made cheap for the test only.
      HERALD_ADMIN_EMAIL: ADMIN_EMAIL,
      HERALD_ADMIN_PASSWORD: ADMIN_PASSWORD,
      HERALD_ARGON2_MEMORY_KIB: '64',
      HERALD_ARGON2_TIME_COST: '1',
    });
    herald = await startHerald(config, { http: true, worker: true, catcher: true, inbound: false });
    base = herald.url!;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await herald?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('signs in, imports contacts, fixes a blocking pre-flight item, launches and watches the KPIs move', async () => {
    // A template is the only thing made through the API: its editor is exercised elsewhere.
    const template = await apiCall('POST', '/api/v1/templates', {
      name: 'Spring news',
      format: 'html',
      subject: 'Spring is here, {{ contact.first_name }}',
      body: '<p>Hello {{ contact.first_name }}, our spring collection is out.</p><p><a href="https://shop.example.com/spring">See it</a></p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
    });

    // Sign in with an API key (the "use an API key" tab).
    await page.goto(base);
    await page.getByRole('tab', { name: 'Use an API key' }).click();
    await page.getByLabel('API key').fill('hk_wrong_key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('this API key is unknown or revoked').waitFor();
    await shot('01-sign-in-error');
    await page.getByLabel('API key').fill(KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    expect(await page.getByTestId('account-name').textContent()).toBe('Default account');

    // A list, made on the Lists page.
    await nav('Lists & segments');
    await page.getByLabel('New list name').fill('Newsletter');
    await page.getByRole('button', { name: 'Create list' }).click();
    await page.getByTestId('lists-table').getByText('Newsletter').waitFor();
    await shot('02a-lists');

    // Contacts from a CSV file, one bad row reported by line.
    await nav('Contacts');
    await page.getByText('Import contacts from a CSV file').click();
    await page.getByLabel('CSV file').setInputFiles({
      name: 'contacts.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('email,first_name\nana@example.com,Ana\nben@example.com,Ben\ncleo@example.com,Cleo\ndora@shop.invalid,Dora\nnot-an-address,Bad\n'),
    });
    await page.getByLabel('Subscribe them to').selectOption({ label: 'Newsletter' });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const result = page.getByTestId('import-result');
    await result.waitFor();
    expect(await result.textContent()).toMatch(/4 imported, 1 rejected of 5 rows/);
    await page.getByTestId('contacts-table').getByText('cleo@example.com').waitFor();
    await shot('02-contacts-imported');

    // The list now counts them, and exports them as CSV.
    await nav('Lists & segments');
    const listRow = page.getByTestId('lists-table').getByRole('row', { name: /Newsletter/ });
    await expect.poll(async () => listRow.textContent(), { timeout: 20_000 }).toMatch(/single\s*4\s*0\s*0\s*4/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export Newsletter as CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('list-1.csv');
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.split('\r\n')[0]).toBe('id,email,phone,first_name,last_name');
    expect(csv).toContain('cleo@example.com');
    expect(csv.trim().split('\r\n')).toHaveLength(5);

    // A segment, counted live while it is built; a bad condition is named on its row.
    await page.getByRole('button', { name: 'New segment' }).click();
    await page.getByLabel('Segment name').fill('Ana and Ben');
    const first = page.getByRole('group', { name: 'Condition 1' });
    await first.getByLabel('Field').selectOption('first_name');
    await first.getByLabel('Operator').selectOption('in');
    await first.getByLabel('Value').fill('Ana, Ben');
    await expect.poll(async () => page.getByTestId('segment-count').textContent(), { timeout: 5000 }).toBe('2 of 4 contacts match');
    await page.getByRole('button', { name: 'Add a condition' }).click();
    const second = page.getByRole('group', { name: 'Condition 2' });
    await second.getByLabel('Kind').selectOption('attribute');
    await second.getByLabel('Attribute name').fill('bad key!');
    await second.getByLabel('Operator').selectOption('exists');
    await second.getByRole('alert').waitFor();
    expect(await second.getByRole('alert').textContent()).toMatch(/attribute/);
    await shot('02b-segment-editor');
    await second.getByRole('button', { name: 'Remove condition 2' }).click();
    await page.getByRole('button', { name: 'Save segment' }).click();
    await page.getByText('Segment "Ana and Ben" saved.').waitFor();
    await page.getByRole('link', { name: 'Lists & segments' }).first().click();
    const segmentRow = page.getByRole('row', { name: /Ana and Ben/ });
    await expect.poll(async () => segmentRow.textContent(), { timeout: 5000 }).toMatch(/2 of 4/);

    // A campaign: the editor, then the pre-flight check names the missing company profile in red.
    await nav('Campaigns');
    await page.getByRole('button', { name: 'New campaign' }).click();
    await page.getByLabel('Campaign name').fill('Spring launch');
    await page.getByLabel('Template').selectOption({ label: template.name });
    await page.getByLabel('From address').fill('news@shop.example.com');
    await page.getByLabel('From name').fill('The Shop');
    await page.getByRole('group', { name: 'Send to the subscribers of' }).getByLabel('Newsletter').check();
    await page.getByRole('button', { name: 'Create draft' }).click();
    const red = page.getByTestId('preflight-company_profile');
    await red.waitFor();
    expect(await red.getAttribute('class')).toContain('panel-red');
    expect(await red.textContent()).toMatch(/missing: company name, phone, postal address/);
    const launch = page.getByRole('button', { name: 'Launch' });
    expect(await launch.isDisabled()).toBe(true);
    await shot('03-preflight-blocking');

    // The panel links to the fix: the company profile form in Settings.
    const editUrl = page.url();
    await red.getByRole('link', { name: 'Open the company profile in Settings' }).click();
    await page.getByTestId('profile-form').waitFor();
    await page.getByLabel('Company name').fill('The Shop GmbH');
    await page.getByLabel('Phone').fill('+49 30 1234567');
    await page.getByLabel('Postal address').fill('Hauptstraße 1, 10115 Berlin');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Company profile saved.').waitFor();
    await shot('04-settings-profile');

    // Back in the editor the check is green and the launch button is enabled.
    await page.goto(editUrl);
    await page.getByText('ready to launch').waitFor();
    expect(await page.getByTestId('preflight-company_profile').count()).toBe(0);
    await page.getByRole('button', { name: 'Launch' }).click();

    // The detail page: the worker sends to the three contacts; the tiles follow without a reload.
    await page.getByTestId('progress-tile').waitFor();
    const sent = page.getByTestId('kpi-sent').locator('.tile-value');
    await expect.poll(async () => sent.textContent(), { timeout: 20_000, interval: 250 }).toBe('3');
    await expect.poll(async () => page.getByTestId('kpi-delivered').locator('.tile-value').textContent(), { timeout: 10_000 }).toBe('100.0 %');

    // A recipient opens the message: its tracking pixel, taken from what the catcher received.
    const outbox = await apiCall('GET', '/api/v1/outbox?to=ana@example.com');
    expect(outbox.items.length).toBe(1);
    const caught = await apiCall('GET', `/api/v1/outbox/${outbox.items[0].id}`);
    const pixel = /src="([^"]*\/o\/[^"]+)"/.exec(caught.html)?.[1];
    expect(pixel, 'the message has an open pixel').toBeTruthy();
    const opened = await fetch(pixel!.replace(/&amp;/g, '&'), { headers: { 'user-agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15' } });
    expect(opened.status).toBe(200);
    // The campaign has finished sending, so the page no longer polls: a reload shows the open.
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.getByTestId('kpi-opens').locator('.tile-value').textContent();
        },
        { timeout: 15_000, interval: 1000 },
      )
      .toBe('33.3 %');

    // Dora's address can never receive mail: the errors breakdown names the reason and its
    // meaning, and "Show" lists her in the recipients.
    const errors = page.getByRole('region', { name: /With errors/ });
    expect(await errors.textContent()).toMatch(/invalid_address.*skipped.*1.*can never receive mail/);
    await errors.getByRole('button', { name: /Show the 1 recipients with invalid_address/ }).click();
    const ledger = page.getByTestId('ledger');
    await expect.poll(async () => ledger.locator('tbody tr').count(), { timeout: 5000 }).toBe(1);
    expect(await ledger.textContent()).toMatch(/dora@shop\.invalid.*skipped.*invalid_address/);
    expect(await page.getByTestId('kpi-opens').textContent()).toMatch(/total 33\.3 % with machines · 1 opens/);

    // "Why?" for one contact, answered from the ledger.
    await page.getByLabel('Contact email or id').fill('ben@example.com');
    await page.getByRole('button', { name: 'Explain' }).click();
    await page.locator('.why').getByText(/sent/).first().waitFor();
    await shot('05-campaign-detail');

    // The list shows the campaign with its progress and KPIs from the batch call.
    await nav('Campaigns');
    const row = page.getByTestId('campaigns-table').getByRole('row', { name: /Spring launch/ });
    await expect.poll(async () => row.textContent(), { timeout: 10_000 }).toMatch(/3 \/ 4.*100\.0 %.*33\.3 %/);
    await shot('06-campaigns-list');

    // The outbox renders the caught message in a sandboxed frame.
    await nav('Outbox');
    await page.getByRole('link', { name: /Spring is here, Ana/ }).click();
    const frame = page.frameLocator('iframe[title^="Message"]');
    await frame.getByText('our spring collection is out').waitFor();
    await shot('07-outbox');

    // Ana's profile: subscriptions and the history of the message and her open.
    await nav('Contacts');
    await page.getByRole('link', { name: 'ana@example.com' }).click();
    const history = page.getByRole('region', { name: 'History' });
    await history.getByRole('link', { name: 'Spring launch' }).first().waitFor();
    expect(await history.textContent()).toMatch(/opened/);
    expect(await page.getByRole('region', { name: 'Subscriptions' }).textContent()).toMatch(/Newsletter\s*subscribed/);
    // Edit her attributes and unsubscribe her from the list, from the profile.
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await page.getByLabel('Attributes').fill('plan = pro\nvisits = 3');
    await page.getByRole('button', { name: 'Save contact' }).click();
    await page.getByText('Contact saved.').waitFor();
    const profile = page.getByRole('region', { name: 'Profile' });
    await expect.poll(async () => profile.textContent()).toMatch(/plan\s*pro.*visits\s*3/);
    expect((await apiCall('GET', '/api/v1/contacts/1')).attributes).toEqual({ plan: 'pro', visits: 3 });
    const subscriptions = page.getByRole('region', { name: 'Subscriptions' });
    await subscriptions.getByRole('button', { name: 'Unsubscribe' }).click();
    await expect.poll(async () => subscriptions.textContent()).toMatch(/Newsletter\s*unsubscribed/);
    await shot('07c-contact-profile');

    // The template: its editor, lint check and a preview rendered for one contact.
    await nav('Templates');
    await page.getByRole('link', { name: /Spring news/ }).click();
    await page.getByRole('button', { name: 'Check (lint)' }).click();
    await page.getByText('No lint warnings.').waitFor();
    await page.getByLabel('For contact (email or id; empty: a sample contact)').fill('cleo@example.com');
    await page.getByRole('button', { name: 'Render' }).click();
    await page.getByText('Spring is here, Cleo').waitFor();
    await page.frameLocator('iframe[title="Template preview"]').getByText('Hello Cleo').waitFor();
    // Headless Chromium paints a frame below the fold only once it has been in view.
    await page.locator('iframe[title="Template preview"]').scrollIntoViewIfNeeded();
    await shot('07a-template-preview');

    // Keyboard only: from the navigation to the notifications page and the settings tabs.
    await nav('Settings');
    await page.getByRole('link', { name: 'Limits & quiet hours' }).focus();
    await page.keyboard.press('Enter');
    await page.getByLabel('Quiet from').waitFor();
    await page.getByLabel('At most … messages').fill('3');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Limits and quiet hours saved.').waitFor();
    expect((await apiCall('GET', '/api/v1/account/policy')).pacing.frequency_cap).toEqual({ max_messages: 3, per_days: 7 });
    await shot('07b-settings-limits');

    // A webhook to a receiver on loopback, and its test event, from the Webhooks tab.
    const received: string[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push(body);
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    try {
      const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/herald`;
      await page.getByRole('link', { name: 'Webhooks' }).click();
      await page.getByLabel('Endpoint URL').fill(hookUrl);
      await page.getByRole('button', { name: 'Add webhook' }).click();
      await page.getByRole('cell', { name: hookUrl }).waitFor();
      await page.getByRole('button', { name: 'Send a test' }).click();
      await page.getByText(/Test event delivered: .* answered 200/).waitFor();
      expect(received.length).toBe(1);
      await shot('07d-settings-webhooks');
    } finally {
      receiver.close();
    }
    // A provider webhook for Postmark: a too-short password is named on its field; then the URL
    // to paste into Postmark is shown, verified with basic auth.
    const postmark = page.getByTestId('provider-postmark');
    await postmark.getByLabel('Postmark basic-auth user').fill('herald');
    await postmark.getByLabel('Postmark basic-auth password').fill('short');
    await postmark.getByRole('button', { name: 'Set up Postmark' }).click();
    await postmark.getByRole('alert').filter({ hasText: /at least 8 characters/ }).waitFor();
    await postmark.getByLabel('Postmark basic-auth password').fill('long enough secret');
    await postmark.getByRole('button', { name: 'Set up Postmark' }).click();
    await postmark.getByText('requests are verified').waitFor();
    expect(await postmark.locator('code').textContent()).toMatch(/^http.*postmark/);
    await shot('07e-provider-webhooks');
    page.once('dialog', (d) => d.accept());
    await postmark.getByRole('button', { name: 'Remove the Postmark webhook' }).click();
    await postmark.getByText('Not set up.').waitFor();

    // Looking at the message did not fetch its pixel (remote images stay blocked): still one open.
    const stats = await apiCall('GET', '/api/v1/campaigns/1/stats');
    expect(stats.kpis.opensTotal).toBe(1);

    // Expected: answers the app turns into messages (the wrong key's 401, the bad segment
    // condition's 422, 404s of APIs this server may not have such as the bell), and the outbox
    // frame's policy blocking the open pixel. Anything else (a script error) fails the test.
    const unexpected = consoleErrors.filter((e) => !/Failed to load resource.*the server responded with a status of 4\d\d/.test(e) && !/Loading the image '[^']*\/o\/[^']*' violates/.test(e));
    expect(unexpected).toEqual([]);
  }, 120_000);

  it('loads the campaigns page in under a second with 10,000 campaigns and pages through 1,000,000 contacts', async () => {
    const { db } = herald.app.deps.store;
    const now = new Date().toISOString();
    // Seeded in SQL (a recursive series): the browser must never load more than the page it shows.
    await sql`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
      INSERT INTO campaigns (account_id, name, channel, kind, status, audience, settings, created_at, updated_at)
      SELECT 1, 'Bulk campaign ' || i, 'email', 'one-off', 'completed', '{"list_ids":[1]}', '{}', ${now}, ${now} FROM n`.execute(db);
    await sql`INSERT INTO deliveries (account_id, campaign_id, status, created_at, updated_at)
      SELECT 1, id, 'completed', ${now}, ${now} FROM campaigns WHERE name LIKE 'Bulk campaign %'`.execute(db);
    await sql`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
      INSERT INTO contacts (account_id, email, first_name, created_at, updated_at)
      SELECT 1, 'bulk' || i || '@example.org', 'Bulk', ${now}, ${now} FROM n`.execute(db);

    const apiStarted = Date.now();
    const firstPage = await apiCall('GET', '/api/v1/campaigns?limit=50');
    const apiListMs = Date.now() - apiStarted;
    await apiCall('GET', `/api/v1/campaign-summaries?${firstPage.items.map((c: { id: number }) => `ids=${c.id}`).join('&')}`);
    const apiMs = Date.now() - apiStarted;

    // Timed twice (a cold and a warm load): 2 cores shared by parallel test files make any
    // single wall-clock sample noisy, the better one says what the page costs.
    const table = page.getByTestId('campaigns-table');
    let loads = 0;
    const loadCampaigns = async () => {
      // A different query string makes it a full page load (a hash change alone stays in the app).
      const started = Date.now();
      await page.goto(`${base}/?load=${++loads}#/campaigns`);
      await table.getByRole('row', { name: /Bulk campaign 10000\b/ }).waitFor();
      // The per-row numbers arrived too (one batch call): the newest row shows its sent count.
      await expect.poll(async () => table.locator('tbody tr').first().locator('td').nth(3).textContent(), { timeout: 5000, interval: 20 }).toBe('0 / 0');
      return Date.now() - started;
    };
    const samples = [await loadCampaigns(), await loadCampaigns()];
    const campaignsMs = Math.min(...samples);
    expect(await table.locator('tbody tr').count()).toBe(50);
    expect(campaignsMs, `campaigns page took ${campaignsMs} ms`).toBeLessThan(1000);
    await page.getByRole('button', { name: 'Older →' }).click();
    await table.getByRole('row', { name: /Bulk campaign 9950\b/ }).waitFor();
    await shot('08-campaigns-10k');

    const contactsStarted = Date.now();
    await page.goto(`${base}/?load=contacts#/contacts`);
    const contacts = page.getByTestId('contacts-table');
    await contacts.getByText('ana@example.com').waitFor();
    const contactsMs = Date.now() - contactsStarted;
    expect(contactsMs, `contacts page took ${contactsMs} ms`).toBeLessThan(1000);
    for (const expected of ['bulk48@example.org', 'bulk98@example.org']) {
      const t = Date.now();
      await page.getByRole('button', { name: 'Next →' }).click();
      await contacts.getByText(expected, { exact: true }).waitFor();
      expect(Date.now() - t, 'one more page of contacts').toBeLessThan(1000);
    }
    expect(await contacts.locator('tbody tr').count()).toBe(50);
    // Searching one address among a million.
    await page.getByLabel('Search email or phone').fill('bulk999999@');
    await page.getByRole('button', { name: 'Search' }).click();
    await contacts.getByText('bulk999999@example.org').waitFor();
    expect(await contacts.locator('tbody tr').count()).toBe(1);
    await shot('09-contacts-1m');
    console.log(`dashboard: API list ${apiListMs} ms, list + summaries ${apiMs} ms; campaigns page with 10,000 campaigns ${samples.join(' / ')} ms; contacts page with 1,000,000 contacts ${contactsMs} ms`);
  }, 180_000);

  it('shows what a role may not do as disabled, with the reason the server gave', async () => {
    const { key } = await apiCall('POST', '/api/v1/api-keys', { name: 'reporting', role: 'analyst' });
    // A fresh browser context: its own sessionStorage, so a new sign-in.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const analyst = await context.newPage();
    try {
      await analyst.goto(base);
      await analyst.getByRole('tab', { name: 'Use an API key' }).click();
      await analyst.getByLabel('API key').fill(key);
      await analyst.getByRole('button', { name: 'Sign in' }).click();
      await analyst.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Lists & segments', exact: true }).click();
      await analyst.getByLabel('New list name').fill('Not allowed');
      const create = analyst.getByRole('button', { name: 'Create list' });
      // Known from the role's permissions (/auth/me) before anything is tried: the button is
      // disabled and says which permission it needs and which roles hold it (F4.2).
      await analyst.getByText(/needs the permission lists:write, held by the roles owner, admin, editor; you have the role analyst/i).first().waitFor();
      expect(await create.isDisabled()).toBe(true);
      const describedBy = await create.getAttribute('aria-describedby');
      expect(await analyst.locator(`[id="${describedBy}"]`).textContent()).toMatch(/lists:write/);
      expect((await apiCall('GET', '/api/v1/lists')).items.map((l: { name: string }) => l.name)).not.toContain('Not allowed');
      await analyst.screenshot({ path: path.join(SHOTS, '10-analyst-forbidden.png'), fullPage: true });
    } finally {
      await context.close();
    }
  }, 60_000);

  it('signs in with a password, manages users and keys, and routes a launch through four-eyes approval to the bell', async () => {
    // A fresh browser context per person: its own sessionStorage, so its own sign-in.
    const signIn = async (email: string, password: string): Promise<Page> => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const p = await context.newPage();
      p.on('pageerror', (e) => consoleErrors.push(e.message));
      await p.goto(base);
      await p.getByRole('tab', { name: 'Email + password' }).click();
      await p.getByLabel('Email').fill(email);
      await p.getByLabel('Password').fill(password);
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.getByRole('navigation', { name: 'Main' }).waitFor();
      return p;
    };
    const menu = (p: Page, name: string) => p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
    const shotOf = async (p: Page, name: string) => {
      expect(await unlabelled(p), `form controls without a label on ${name}`).toEqual([]);
      await p.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
    };
    // Signing out ends the session on the server too: its token no longer works.
    const signOut = async (p: Page) => {
      const token = (await p.evaluate(`sessionStorage.getItem('herald.token')`)) as string;
      expect(token).toMatch(/^hs_/);
      await p.getByRole('button', { name: 'Sign out' }).click();
      await p.getByRole('heading', { name: 'Sign in' }).waitFor();
      await expect.poll(async () => (await fetch(`${base}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
      await p.context().close();
    };

    // A wrong password is refused on the form; the right one signs the owner in.
    const admin = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await admin.goto(base);
    await admin.getByLabel('Email').fill(ADMIN_EMAIL);
    await admin.getByLabel('Password').fill('not the password');
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await admin.getByRole('alert').filter({ hasText: /password/ }).waitFor();
    await shotOf(admin, '10b-sign-in-wrong-password');
    await admin.getByLabel('Password').fill(ADMIN_PASSWORD);
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await admin.getByRole('navigation', { name: 'Main' }).waitFor();
    expect(await admin.locator('.who').textContent()).toMatch(/Administrator\s*owner/);

    // Users: an editor and a sender are added (each gets a password shown once), one more is
    // added as analyst, made a sender and then disabled.
    await menu(admin, 'Settings');
    await admin.getByRole('link', { name: 'Users & roles' }).click();
    const addUser = async (email: string, role: string): Promise<string> => {
      const form = admin.getByRole('form', { name: 'Add a user' });
      await form.getByLabel('Email').fill(email);
      await form.getByLabel('Role').selectOption(role);
      await form.getByRole('button', { name: 'Add user' }).click();
      const shown = form.getByRole('status');
      await shown.getByText(email).waitFor();
      return (await shown.locator('code').textContent())!;
    };
    const editorPassword = await addUser('eddie@shop.example.com', 'editor');
    const senderPassword = await addUser('sam@shop.example.com', 'sender');
    await addUser('ana.lyst@shop.example.com', 'analyst');
    await admin.getByLabel('Role of ana.lyst@shop.example.com').selectOption('sender');
    await admin.getByText('ana.lyst@shop.example.com is now sender.').waitFor();
    await admin.getByRole('row', { name: /ana\.lyst@/ }).getByRole('button', { name: 'Disable' }).click();
    await admin.getByText('ana.lyst@shop.example.com can no longer sign in').waitFor();
    await admin.getByRole('row', { name: /ana\.lyst@/ }).getByText('disabled').waitFor();
    const users = (await apiCall('GET', '/api/v1/users')).items as { id: number; email: string; role: string; disabled_at: string | null }[];
    expect(users.find((u) => u.email === 'ana.lyst@shop.example.com')).toMatchObject({ role: 'sender', disabled_at: expect.any(String) });
    await shotOf(admin, '11-settings-users');

    // API keys: one is created (shown once), listed, and revoked.
    await admin.getByRole('link', { name: 'API keys' }).click();
    await admin.getByLabel('Key name').fill('crm-sync');
    await admin.getByLabel('Role').selectOption('integration');
    await admin.getByRole('button', { name: 'Create key' }).click();
    const newKey = (await admin.getByRole('status').filter({ hasText: 'New key' }).locator('code').textContent())!;
    expect(newKey).toMatch(/^hk_/);
    const keyRow = admin.getByRole('row', { name: /crm-sync/ });
    await keyRow.waitFor();
    admin.once('dialog', (d) => d.accept());
    await keyRow.getByRole('button', { name: 'Revoke' }).click();
    await keyRow.getByText(/revoked/).waitFor();
    expect((await fetch(`${base}/api/v1/auth/me`, { headers: { authorization: `Bearer ${newKey}` } })).status).toBe(401);
    await shotOf(admin, '12-settings-api-keys');

    // The approval rule: launches need approval, by a second pair of eyes.
    await admin.getByRole('link', { name: 'Approval' }).click();
    // Keyboard only: Space ticks a box, Tab moves on, Enter saves.
    await admin.getByLabel(/Launches need approval/).focus();
    await admin.keyboard.press('Space');
    await admin.keyboard.press('Tab');
    await admin.keyboard.press('Space');
    await admin.keyboard.press('Tab');
    await admin.keyboard.press('Enter');
    await admin.getByText('Approval rule saved.').waitFor();
    expect(await apiCall('GET', '/api/v1/account/approval')).toEqual({ required: true, four_eyes: true });
    await shotOf(admin, '13-settings-approval');

    // Suppressions: a bad address is refused with the server's reason; a good one is blocklisted
    // with a note (normalized to lower case), listed, and removed.
    await admin.getByRole('link', { name: 'Suppressions' }).click();
    const suppress = admin.getByRole('form', { name: 'Suppress an address' });
    await suppress.getByLabel('Address to suppress').fill('not an address');
    await suppress.getByRole('button', { name: 'Suppress' }).click();
    await suppress.getByRole('alert').waitFor();
    await suppress.getByLabel('Address to suppress').fill('Angry@Example.com');
    await suppress.getByLabel('Note').fill('asked by phone');
    await suppress.getByRole('button', { name: 'Suppress' }).click();
    const suppressed = admin.getByTestId('suppressions-table').getByRole('row', { name: /angry@example\.com/ });
    await suppressed.waitFor();
    expect(await suppressed.textContent()).toMatch(/email\s*blocklist.*asked by phone/);
    await shotOf(admin, '13b-settings-suppressions');
    admin.once('dialog', (d) => d.accept());
    await suppressed.getByRole('button', { name: 'Remove angry@example.com' }).click();
    await admin.getByText('angry@example.com is no longer suppressed.').waitFor();
    expect((await apiCall('GET', '/api/v1/suppressions?q=angry')).items).toEqual([]);
    await signOut(admin);

    // The editor writes a campaign and launches it: it waits for approval. She withdraws the
    // request (back to draft) and launches again.
    const editor = await signIn('eddie@shop.example.com', editorPassword);
    await menu(editor, 'Campaigns');
    await editor.getByRole('button', { name: 'New campaign' }).click();
    await editor.getByLabel('Campaign name').fill('Summer sale');
    await editor.getByLabel('Template').selectOption({ label: 'Spring news' });
    await editor.getByLabel('From address').fill('news@shop.example.com');
    await editor.getByRole('group', { name: 'Send to the subscribers of' }).getByLabel('Newsletter').check();
    await editor.getByRole('button', { name: 'Create draft' }).click();
    await editor.getByText('ready to launch').waitFor();
    await editor.getByRole('button', { name: 'Launch' }).click();
    const header = editor.locator('.page-header');
    await header.getByText('awaiting approval').waitFor();
    // Approving is not hers: the button says which roles may.
    expect(await editor.getByRole('button', { name: 'Approve launch' }).isDisabled()).toBe(true);
    await shotOf(editor, '14-awaiting-approval');
    await editor.getByRole('button', { name: 'Withdraw request' }).click();
    await header.getByText('draft', { exact: true }).waitFor();
    await editor.getByRole('button', { name: 'Edit & launch' }).click();
    await editor.getByText('ready to launch').waitFor();
    await editor.getByRole('button', { name: 'Launch' }).click();
    await header.getByText('awaiting approval').waitFor();
    const campaignUrl = editor.url();
    await signOut(editor);

    // The sender: the bell rings for the request, the campaigns page lists it in the queue; she
    // rejects it once with a reason, the editor launches again, and she approves.
    const sender = await signIn('sam@shop.example.com', senderPassword);
    await expect.poll(async () => sender.getByTestId('bell').getAttribute('aria-label'), { timeout: 5000 }).toMatch(/Notifications: [1-9]\d* unread/);
    await menu(sender, 'Campaigns');
    const queue = sender.getByRole('region', { name: 'Waiting for approval' });
    await queue.getByRole('link', { name: 'Summer sale' }).waitFor();
    // (The server names principals by their label, user:<id>: see ARCHITECTURE's known gaps.)
    expect(await queue.textContent()).toMatch(/requested by user:\d+/);
    await shotOf(sender, '15-approval-queue');
    await queue.getByRole('link', { name: 'Summer sale' }).click();
    await sender.getByRole('button', { name: 'Reject' }).click();
    const reject = sender.getByRole('form', { name: /Reject the launch/ });
    await reject.getByLabel(/Why is it rejected/).fill('The subject line still says spring.');
    await reject.getByRole('button', { name: 'Send back to draft' }).click();
    await sender.locator('.page-header').getByText('draft', { exact: true }).waitFor();

    const editorAgain = await signIn('eddie@shop.example.com', editorPassword);
    await editorAgain.getByTestId('bell').click();
    await editorAgain.getByText('The subject line still says spring.').waitFor();
    await editorAgain.goto(campaignUrl);
    await editorAgain.getByRole('button', { name: 'Edit & launch' }).click();
    await editorAgain.getByText('ready to launch').waitFor();
    await editorAgain.getByRole('button', { name: 'Launch' }).click();
    await editorAgain.locator('.page-header').getByText('awaiting approval').waitFor();

    await sender.reload();
    await sender.getByRole('button', { name: 'Approve launch' }).click();
    await expect.poll(async () => sender.locator('.page-header').textContent(), { timeout: 10_000 }).toMatch(/scheduled|sending|completed/);
    await menu(sender, 'Notifications');
    await sender.getByText(/Summer sale/).first().waitFor();
    await shotOf(sender, '16-sender-notifications');
    await signOut(sender);

    // The editor's bell now counts the approval; the notifications page says who approved.
    await editorAgain.reload();
    await expect.poll(async () => editorAgain.getByTestId('bell').getAttribute('aria-label'), { timeout: 5000 }).toMatch(/Notifications: [1-9]\d* unread/);
    await editorAgain.getByTestId('bell').click();
    const approved = editorAgain.locator('.notification-list li').filter({ hasText: /approved/i }).first();
    await approved.waitFor();
    // The server's label of the signed-in user (user:<id>) reads "you".
    expect(await approved.textContent()).toMatch(/\(requested by you\)/);
    const unread = async () => Number(/(\d+) unread/.exec((await editorAgain.getByTestId('bell').getAttribute('aria-label')) ?? '')?.[1]);
    const before = await unread();
    await approved.getByRole('button', { name: 'Mark read' }).click();
    await expect.poll(async () => approved.getAttribute('class')).toMatch(/is-read/);
    await expect.poll(unread, { timeout: 5000 }).toBe(before - 1);
    // She wants these by email too, but only the approval outcomes.
    const emailMe = editorAgain.getByRole('form', { name: 'Email me notifications' });
    await emailMe.getByLabel(/Send notifications to eddie@shop\.example\.com/).check();
    for (const kind of ['approval given', 'approval rejected']) expect(await emailMe.getByLabel(kind, { exact: true }).isChecked()).toBe(true);
    await emailMe.getByLabel('delivery failed', { exact: true }).uncheck();
    await emailMe.getByLabel('delivery zero recipients', { exact: true }).uncheck();
    await emailMe.getByRole('button', { name: 'Save email subscription' }).click();
    await editorAgain.getByText('Notification emails go to eddie@shop.example.com.').waitFor();
    const editorId = users.find((u) => u.email === 'eddie@shop.example.com')!.id;
    const subscription = await apiCall('GET', `/api/v1/notifications/email-subscription?user_id=${editorId}`);
    expect(subscription.enabled).toBe(true);
    expect(subscription.kinds).toContain('approval_given');
    expect(subscription.kinds).not.toContain('delivery_failed');
    await shotOf(editorAgain, '17-editor-notifications');
    await signOut(editorAgain);
  }, 120_000);

  it('runs a recurring campaign with confirmed runs and a triggered one with its catch-up', async () => {
    // The previous test turned approval on; these launches go straight out.
    await apiCall('PUT', '/api/v1/account/approval', { required: false, four_eyes: false });
    await page.goto(`${base}/#/campaigns`);

    // Recurring: a schedule with a wrong cron rule is refused on its field; a good one shows the
    // next runs the server computed. Every 3 seconds, at most 2 runs, each waiting for confirmation.
    await page.getByRole('button', { name: 'New campaign' }).click();
    await page.getByLabel('Campaign name').fill('Weekly digest');
    await page.getByLabel('Template').selectOption({ label: 'Spring news' });
    await page.getByLabel('From address').fill('news@shop.example.com');
    await page.getByRole('group', { name: 'Send to the subscribers of' }).getByLabel('Newsletter').check();
    await page.getByRole('button', { name: 'Create draft' }).click();
    await page.getByText('ready to launch').waitFor();
    await page.getByLabel('Repeat on a schedule').check();
    const schedule = page.getByRole('group', { name: 'Repeat on a schedule' });
    await schedule.getByLabel('Cron rule').fill('0 9 * * 9');
    await schedule.getByRole('button', { name: 'Save schedule' }).click();
    await schedule.getByRole('alert').filter({ hasText: /not a valid cron rule/ }).waitFor();
    await schedule.getByLabel('Cron rule').fill('0 9 * * 1');
    await schedule.getByLabel('Time zone').fill('Europe/Berlin');
    await schedule.getByRole('button', { name: 'Save schedule' }).click();
    const upcoming = page.getByTestId('upcoming-runs');
    await upcoming.waitFor();
    expect(await upcoming.locator('li').count()).toBe(5);
    expect(await upcoming.textContent()).toMatch(/Europe\/Berlin.*09:00 \+01:00/);
    await shot('18-recurring-schedule');
    // Every 12 s: a run left unconfirmed is skipped when the next comes due, so the test must
    // confirm the first within one period, even on a loaded machine.
    await schedule.getByLabel('Cron rule').fill('*/12 * * * * *');
    await schedule.getByLabel('Stop after this many runs').fill('2');
    await schedule.getByLabel(/Confirm each run/).check();
    await schedule.getByLabel('Runs missed while Herald was down').selectOption('skip');
    await schedule.getByRole('button', { name: 'Save schedule' }).click();
    await page.getByText('Schedule saved').last().waitFor();
    await page.getByRole('button', { name: 'Launch' }).click();
    await page.locator('.page-header').getByText('active').waitFor();
    const runs = page.getByTestId('runs-table');
    // Runs appear, each waiting for confirmation: the first is confirmed and sends, the second
    // (created at the next occurrence, the last allowed) is skipped.
    const confirmButtons = runs.getByRole('button', { name: /^Confirm run #/ });
    const runId = async () => /#\d+/.exec((await confirmButtons.last().getAttribute('aria-label')) ?? '')![0];
    await expect.poll(async () => confirmButtons.count(), { timeout: 20_000, interval: 500 }).toBeGreaterThanOrEqual(1);
    await shot('19-runs-awaiting-confirmation');
    const older = await runId();
    await runs.getByRole('button', { name: `Confirm run ${older}` }).click();
    await page.getByText(`Run ${older} confirmed`).waitFor();
    await expect.poll(async () => (await confirmButtons.count()) > 0 && (await runId()) !== older, { timeout: 20_000, interval: 500 }).toBe(true);
    const newer = await runId();
    await runs.getByRole('button', { name: `Skip run ${newer}` }).click();
    await page.getByText(`Run ${newer} skipped.`).waitFor();
    const olderRow = runs.getByRole('row', { name: new RegExp(`^${older}\\b`) });
    await expect.poll(async () => olderRow.textContent(), { timeout: 20_000, interval: 500 }).toMatch(/completed/);
    // The runs table refreshes on its own timer: wait for it rather than read it once.
    await expect.poll(async () => runs.getByRole('row', { name: new RegExp(`^${newer}\\b`) }).textContent(), { timeout: 20_000, interval: 500 }).toMatch(/skipped/);
    await olderRow.getByRole('button', { name: `Numbers of run ${older}` }).click();
    await expect.poll(async () => page.getByTestId(`run-${older.slice(1)}-numbers`).textContent(), { timeout: 10_000 }).toMatch(/Sent\s*[1-9]/);
    // The campaign completed when its last run was made; its tiles follow the latest run all the
    // same (they stay live until it has finished), each run's own numbers are in the table.
    await expect.poll(async () => page.getByTestId('progress-tile').textContent(), { timeout: 10_000 }).toContain(`delivery ${newer} skipped`);
    await shot('20-runs');

    // Triggered: an event type declared on the Triggers page (a bad name refused first).
    await nav('Triggers');
    await page.getByLabel('Event type name').fill('order shipped!');
    await page.getByRole('button', { name: 'Declare' }).click();
    await page.getByRole('alert').filter({ hasText: /not an event type name/ }).waitFor();
    await page.getByLabel('Event type name').fill('order.shipped');
    await page.getByLabel('Description').fill('An order left the warehouse');
    await page.getByRole('button', { name: 'Declare' }).click();
    await page.getByTestId('event-types-table').getByText('order.shipped').waitFor();
    // An order that shipped before the campaign exists: the catch-up list will show it.
    await apiCall('POST', '/api/v1/events', { type: 'order.shipped', entity: 'order-1', data: { status: 'shipped' }, contacts: [{ email: 'ben@example.com' }], idempotency_key: 'e2e-order-1' });
    await page.reload();
    await page.getByTestId('events-table').getByRole('cell', { name: 'order-1' }).waitFor();
    await shot('21-triggers-page');

    await nav('Campaigns');
    await page.getByRole('button', { name: 'New campaign' }).click();
    await page.getByLabel('Campaign name').fill('Shipping notice');
    await page.getByLabel('Template').selectOption({ label: 'Spring news' });
    await page.getByLabel('From address').fill('news@shop.example.com');
    await page.getByRole('button', { name: 'Create draft' }).click();
    await page.getByTestId('preflight').waitFor();
    await page.getByLabel('When an event arrives').check();
    const trigger = page.getByRole('group', { name: 'Send when an event arrives' });
    await trigger.getByLabel('Event type').selectOption('order.shipped');
    await trigger.getByLabel('Condition (JSON)').fill('{"all": [{"field": "data.status", "op": "equals", "value": "shipped"}]}');
    await trigger.getByRole('button', { name: 'Save trigger' }).click();
    const conditionError = trigger.getByRole('alert').first();
    await conditionError.waitFor();
    expect(await conditionError.textContent()).toMatch(/condition/);
    await shot('22-trigger-condition-error');
    await trigger.getByLabel('Condition (JSON)').fill('{"all": [{"field": "data.status", "op": "eq", "value": "shipped"}]}');
    await trigger.getByRole('button', { name: 'Save trigger' }).click();
    await page.getByText('Trigger saved').waitFor();
    await page.getByText('ready to launch').waitFor();
    await page.getByRole('button', { name: 'Launch' }).click();
    await page.locator('.page-header').getByText('active').waitFor();
    const catchUp = page.getByRole('region', { name: 'Already in the trigger state' });
    await catchUp.getByRole('cell', { name: 'order-1' }).waitFor();
    await catchUp.getByRole('button', { name: 'Send to 1 contacts now' }).click();
    await page.getByText(/Catch-up: 1 messages queued for 1 entities/).waitFor();
    await expect.poll(async () => page.getByTestId('catch-up-count').textContent()).toBe('0');
    await shot('23-triggered-catch-up');
    // What order-1's events did: the catch-up fired, and the message it became was held back by
    // the frequency cap set in the first test (3 in 7 days: Ben already had three campaigns).
    await nav('Triggers');
    await page.getByRole('button', { name: "What order-1's events did" }).click();
    const explanation = page.getByTestId('entity-explanation');
    await expect.poll(async () => explanation.textContent(), { timeout: 20_000, interval: 500 }).toMatch(/Shipping notice#\d+catch upfired.*skipped frequency_cap/);
    await shot('23b-entity-explanation');
  }, 120_000);

  it("sends a one-off message from a contact's profile and shows its fate", async () => {
    const openProfile = async (email: string) => {
      await page.goto(`${base}/#/contacts?q=${encodeURIComponent(email)}`);
      await page.getByRole('link', { name: email }).click();
      await page.getByRole('region', { name: 'History' }).waitFor();
    };
    // Written on the spot, transactional: it is sent, and the catcher has it.
    await openProfile('cleo@example.com');
    await page.getByRole('button', { name: 'Send a message' }).click();
    const form = page.getByRole('form', { name: 'Send a message' });
    await form.getByLabel('Write it here').check();
    await form.getByLabel('Subject').fill('Your order has shipped');
    await form.getByLabel('Body', { exact: true }).fill('Hello {{ contact.first_name }}, your parcel is on its way.');
    expect(await form.getByLabel(/Transactional/).isChecked()).toBe(true);
    // The account has no default sender: the server names the missing field on the form.
    await form.getByRole('button', { name: 'Send message' }).click();
    await form.getByRole('alert').filter({ hasText: /from_email is required/ }).waitFor();
    await form.getByLabel('From address (optional)').fill('orders@shop.example.com');
    await shot('24-send-message');
    await form.getByRole('button', { name: 'Send message' }).click();
    const messages = page.getByTestId('contact-messages');
    await expect.poll(async () => messages.locator('tbody tr').first().textContent(), { timeout: 20_000, interval: 500 }).toMatch(/sent/);
    // "sent" is the catcher's 250; it stores what it caught in batches, a moment later.
    await expect
      .poll(async () => (await apiCall('GET', '/api/v1/outbox?to=cleo@example.com')).items.some((m: { subject: string }) => m.subject === 'Your order has shipped'), { timeout: 10_000, interval: 250 })
      .toBe(true);

    // From a template, to an address that can never receive mail: its fate says why.
    await openProfile('dora@shop.invalid');
    await page.getByRole('button', { name: 'Send a message' }).click();
    await form.getByLabel('Message template').selectOption({ label: 'Spring news' });
    await form.getByLabel('From address (optional)').fill('orders@shop.example.com');
    await form.getByLabel(/Transactional/).uncheck();
    await form.getByRole('button', { name: 'Send message' }).click();
    await expect.poll(async () => page.getByTestId('contact-messages').textContent(), { timeout: 20_000, interval: 500 }).toMatch(/skipped.*invalid_address/);
    await shot('25-message-fate');
  }, 60_000);
});
