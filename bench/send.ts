// Send benchmark (target: 100,000 personalised messages to a local SMTP sink at ≥ 50% of the rate
// Postfix's smtp-source reaches against the same sink; a 1M-recipient campaign in ≤ 256 MB RSS).
//
// Herald runs its real path: a database seeded with the audience, a campaign launched with
// sendCampaign, and `node src/main.ts worker` as a child process that prepares the ledger and
// sends. Its rate is taken from the delivery's own timestamps (started_at, set when the ledger is
// written and sending begins, to finished_at), its memory from /proc/<pid>/status (VmHWM, which
// includes the preparation). In the same run and against the same sink: a plain nodemailer pool
// loop with the same connection count and in-flight messages, and smtp-source when installed.
import nodemailer from 'nodemailer';
import { createCampaign } from '../src/app/campaigns/write-campaign.ts';
import { updateAccountProfile } from '../src/app/accounts/account-profile.ts';
import { sendCampaign } from '../src/app/campaigns/send-campaign.ts';
import { createTemplate } from '../src/app/templates/create-template.ts';
import { openDatabase } from '../src/store/open-database.ts';
import {
  type BenchDatabase,
  createPostgresDatabase,
  createSqliteDatabase,
  heraldEnv,
  openBenchApp,
} from './support/bench-database.ts';
import { type BenchSink, isExecutable, POSTFIX_SMTP_SOURCE, startBenchSink } from './support/bench-sink.ts';
import { startChild, startNode } from './support/child-process.ts';
import { readProcessMemory } from './support/process-memory.ts';
import { BODY, FROM_EMAIL, FROM_NAME, SUBJECT } from './support/newsletter.ts';
import { referenceMail } from './support/reference-message.ts';
import { emit, progress, round, scaled } from './support/report.ts';
import { seedAudience } from './support/seed-audience.ts';

/**
 * The worker's SMTP pool opens 5 connections (createSmtpTransport's default; the worker does not
 * configure it), so every sender here uses 5.
 */
const CONNECTIONS = 5;
const TARGET = '≥ 0.5 × smtp-source';
const RSS_TARGET_MB = 256;
/** No progress for this long means the worker is stuck: the benchmark fails instead of hanging. */
const STALL_MS = 120_000;

interface SenderResult {
  name: string;
  msgs_per_s: number;
}

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number, got "${raw}"`);
  return n;
}

/** The size of one reference message on the wire, so that smtp-source sends messages as large. */
async function referenceMessageBytes(): Promise<number> {
  const t = nodemailer.createTransport({ streamTransport: true, buffer: true });
  const info = (await t.sendMail(referenceMail(1))) as unknown as { message: Buffer };
  return info.message.length;
}

async function runSmtpSource(sink: BenchSink, messages: number, bytes: number): Promise<SenderResult | null> {
  if (!isExecutable(POSTFIX_SMTP_SOURCE)) {
    progress(`skipped: smtp-source not installed (no executable at ${POSTFIX_SMTP_SOURCE})`);
    emit({ bench: 'send', subject: 'smtp-source', skipped: 'smtp-source not installed', path: POSTFIX_SMTP_SOURCE });
    return null;
  }
  progress(`smtp-source: ${messages} messages of ${bytes} bytes over ${CONNECTIONS} connections`);
  // -d: keep each connection open for the next message (as a pool does); -s: parallel sessions.
  const args = ['-s', String(CONNECTIONS), '-d', '-m', String(messages), '-l', String(bytes)];
  args.push('-f', FROM_EMAIL, '-t', 'c1@example.com', `${sink.host}:${sink.port}`);
  const t0 = performance.now();
  const run = startChild(POSTFIX_SMTP_SOURCE, args);
  const { code } = await run.exited;
  const seconds = (performance.now() - t0) / 1000;
  await run.memory.stop();
  if (code !== 0) throw new Error(`smtp-source exited with code ${code}`);
  const rate = messages / seconds;
  emit({
    bench: 'send',
    subject: 'smtp-source',
    messages,
    message_bytes: bytes,
    connections: CONNECTIONS,
    seconds: round(seconds, 3),
    msgs_per_s: Math.round(rate),
    sink: sink.kind,
  });
  return { name: 'smtp-source', msgs_per_s: rate };
}

async function runNodemailerLoop(sink: BenchSink, messages: number, inFlight: number): Promise<SenderResult> {
  progress(`nodemailer pool loop: ${messages} messages, ${CONNECTIONS} connections, ${inFlight} in flight`);
  const run = startNode('bench/support/nodemailer-pool-loop.ts', [sink.url, String(messages), String(CONNECTIONS), String(inFlight)], {
    collectStdout: true,
  });
  const { code, stdout } = await run.exited;
  await run.memory.stop();
  if (code !== 0) throw new Error(`the nodemailer pool loop exited with code ${code}`);
  const r = JSON.parse(stdout.trim()) as { sent: number; failed: number; seconds: number; peakRssMb: number };
  if (r.failed > 0) throw new Error(`the nodemailer pool loop had ${r.failed} failed sends: the sink is not accepting`);
  const rate = r.sent / r.seconds;
  emit({
    bench: 'send',
    subject: 'nodemailer-pool-loop',
    messages: r.sent,
    connections: CONNECTIONS,
    in_flight: inFlight,
    seconds: round(r.seconds, 3),
    msgs_per_s: Math.round(rate),
    peak_rss_mb: r.peakRssMb,
    sink: sink.kind,
  });
  return { name: 'nodemailer-pool-loop', msgs_per_s: rate };
}

/** Seeds the audience, creates the template and campaign, and launches it (a delivery is scheduled). */
async function launchCampaign(db: BenchDatabase, contacts: number): Promise<{ campaignId: number; seedSeconds: number }> {
  const t0 = performance.now();
  const { app, actor } = await openBenchApp(db.url);
  try {
    const { listId } = await seedAudience(app.deps.store, actor.accountId, { contacts });
    const template = await createTemplate(app.deps, actor, { name: 'Bench newsletter', format: 'html', subject: SUBJECT, body: BODY });
    const campaign = await createCampaign(app.deps, actor, {
      name: 'Bench campaign',
      template_id: template.id,
      from_email: FROM_EMAIL,
      from_name: FROM_NAME,
      audience: { list_ids: [listId] },
    });
    await updateAccountProfile(app.deps, actor, { company_name: 'Bench', phone: '+49 30 1234567', postal_address: 'Hauptstraße 1, 10115 Berlin' });
    await sendCampaign(app.deps, actor, campaign.id);
    return { campaignId: campaign.id, seedSeconds: (performance.now() - t0) / 1000 };
  } finally {
    await app.close();
  }
}

interface HeraldRun {
  messages: number;
  sent: number;
  byStatus: Record<string, number>;
  sendSeconds: number;
  /** From spawning the worker to the delivery's started_at: module loading, claim and preparation. */
  prepareSeconds: number;
  wallSeconds: number;
  peakRssMb: number | null;
}

async function runHeraldWorker(
  db: BenchDatabase,
  sink: BenchSink,
  messages: number,
  worker: { batch: number; concurrency: number },
): Promise<HeraldRun> {
  const label = `herald[${db.dialect}]`;
  progress(`${label}: seeding ${messages} contacts and launching the campaign`);
  const { campaignId, seedSeconds } = await launchCampaign(db, messages);
  progress(`${label}: seeded in ${seedSeconds.toFixed(1)} s; starting the worker (batch ${worker.batch}, concurrency ${worker.concurrency})`);

  const store = openDatabase(db.url, { poolSize: 1 });
  const spawnedAt = Date.now();
  const run = startNode('src/main.ts', ['worker'], {
    env: heraldEnv(db.url, {
      HERALD_SMTP_URL: sink.url,
      HERALD_WORKER_BATCH: String(worker.batch),
      HERALD_WORKER_CONCURRENCY: String(worker.concurrency),
    }),
    // e.g. BENCH_WORKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the worker.
    nodeArgs: (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean),
  });
  let workerExit: string | null = null;
  void run.exited.then(({ code, signal }) => {
    workerExit = `the worker exited (code ${code}, signal ${signal})`;
  });
  try {
    let lastSent = -1;
    let lastChange = Date.now();
    let lastReport = Date.now();
    let reportedSent = 0;
    for (;;) {
      await new Promise((r) => setTimeout(r, 200));
      if (workerExit) throw new Error(`${label}: ${workerExit} before the delivery completed`);
      const d = await store.db
        .selectFrom('deliveries')
        .select(['id', 'status', 'status_reason', 'started_at', 'finished_at'])
        .where('campaign_id', '=', campaignId)
        .executeTakeFirstOrThrow();
      if (d.status === 'completed') break;
      if (d.status !== 'scheduled' && d.status !== 'preparing' && d.status !== 'sending') {
        throw new Error(`${label}: the delivery became ${d.status}${d.status_reason ? ` (${d.status_reason})` : ''}`);
      }
      if (Date.now() - lastReport >= 5000) {
        const { n } = await store.db
          .selectFrom('messages')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('campaign_id', '=', campaignId)
          .where('status', '=', 'sent')
          .executeTakeFirstOrThrow();
        const sent = Number(n);
        const rate = (sent - reportedSent) / ((Date.now() - lastReport) / 1000);
        const mem = await readProcessMemory(run.child.pid!);
        progress(`${label}: ${d.status}, ${sent}/${messages} sent (${Math.round(rate)}/s now), worker RSS ${mem?.rssMb ?? '?'} MB`);
        if (sent !== lastSent) {
          lastSent = sent;
          lastChange = Date.now();
        }
        reportedSent = sent;
        lastReport = Date.now();
      }
      if (Date.now() - lastChange > STALL_MS) throw new Error(`${label}: no message sent for ${STALL_MS / 1000} s`);
    }
    const wallSeconds = (Date.now() - spawnedAt) / 1000;
    const peakRssMb = await run.memory.stop();
    const d = await store.db
      .selectFrom('deliveries')
      .select(['id', 'started_at', 'finished_at'])
      .where('campaign_id', '=', campaignId)
      .executeTakeFirstOrThrow();
    const rows = await store.db
      .selectFrom('messages')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('delivery_id', '=', d.id)
      .groupBy('status')
      .execute();
    const byStatus = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    const started = Date.parse(d.started_at!);
    return {
      messages,
      sent: byStatus.sent ?? 0,
      byStatus,
      sendSeconds: (Date.parse(d.finished_at!) - started) / 1000,
      prepareSeconds: (started - spawnedAt) / 1000,
      wallSeconds,
      peakRssMb,
    };
  } finally {
    if (run.child.exitCode === null) {
      run.child.kill('SIGTERM');
      await run.exited.catch(() => {});
    }
    await run.memory.stop();
    await store.close();
  }
}

async function heraldOn(
  db: BenchDatabase,
  sink: BenchSink,
  messages: number,
  worker: { batch: number; concurrency: number },
  refs: { nodemailer: SenderResult; smtpSource: SenderResult | null },
): Promise<void> {
  try {
    const r = await runHeraldWorker(db, sink, messages, worker);
    const rate = r.sent / r.sendSeconds;
    const smtpRatio = refs.smtpSource ? rate / refs.smtpSource.msgs_per_s : null;
    emit({
      bench: 'send',
      subject: 'herald',
      dialect: db.dialect,
      messages,
      sent: r.sent,
      ...(r.sent !== messages ? { by_status: r.byStatus } : {}),
      seconds: round(r.sendSeconds, 3),
      msgs_per_s: Math.round(rate),
      peak_rss_mb: r.peakRssMb,
      startup_and_prepare_seconds: round(r.prepareSeconds, 2),
      wall_seconds: round(r.wallSeconds, 2),
      connections: CONNECTIONS,
      worker_batch: worker.batch,
      worker_concurrency: worker.concurrency,
      sink: sink.kind,
      reference: { name: refs.nodemailer.name, msgs_per_s: Math.round(refs.nodemailer.msgs_per_s) },
      ratio: round(rate / refs.nodemailer.msgs_per_s, 3),
      smtp_source: refs.smtpSource ? { msgs_per_s: Math.round(refs.smtpSource.msgs_per_s) } : 'skipped: smtp-source not installed',
      ratio_to_smtp_source: smtpRatio === null ? null : round(smtpRatio, 3),
      target: TARGET,
      target_met: smtpRatio === null ? null : smtpRatio >= 0.5,
      rss_target: `≤ ${RSS_TARGET_MB} MB for 1,000,000 recipients`,
      rss_target_met: messages >= 1_000_000 && r.peakRssMb !== null ? r.peakRssMb <= RSS_TARGET_MB : `not measured (${messages} recipients)`,
    });
  } finally {
    await db.drop();
  }
}

export async function runSendBench(scale: number): Promise<void> {
  const messages = process.env.BENCH_SEND_MESSAGES ? envInt('BENCH_SEND_MESSAGES', 0) : scaled(100_000, scale);
  const worker = { batch: envInt('BENCH_WORKER_BATCH', 1000), concurrency: envInt('BENCH_WORKER_CONCURRENCY', 100) };
  const sink = await startBenchSink();
  progress(`send: ${messages} messages to ${sink.kind} at ${sink.url}`);
  try {
    const smtpSource = await runSmtpSource(sink, messages, await referenceMessageBytes());
    // BENCH_SEND_NODEMAILER=0 skips the nodemailer loop (~50 s at 100k) when iterating on Herald.
    const nodemailerLoop =
      process.env.BENCH_SEND_NODEMAILER === '0'
        ? { name: 'nodemailer-pool-loop (skipped)', msgs_per_s: Number.NaN }
        : await runNodemailerLoop(sink, messages, worker.concurrency);
    const refs = { nodemailer: nodemailerLoop, smtpSource };
    // BENCH_SEND_DIALECTS=sqlite (or postgres) runs Herald on one dialect only.
    const dialects = (process.env.BENCH_SEND_DIALECTS ?? 'sqlite,postgres').split(',');

    if (dialects.includes('sqlite')) await heraldOn(createSqliteDatabase('send'), sink, messages, worker, refs);

    const pg = dialects.includes('postgres') ? await createPostgresDatabase() : { skipped: 'BENCH_SEND_DIALECTS leaves it out' };
    if ('skipped' in pg) {
      progress(`herald[postgres]: skipped — ${pg.skipped}`);
      emit({ bench: 'send', subject: 'herald', dialect: 'postgres', skipped: pg.skipped });
    } else {
      await heraldOn(pg, sink, messages, worker, refs);
    }
  } finally {
    await sink.close();
  }
}
