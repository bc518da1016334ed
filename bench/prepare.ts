// Prepare benchmark (target: 1M contacts → ledger, with exclusions, in ≤ 10 s) on SQLite.
//
// One list of 1,000,000 contacts, of whom every 331st has only a phone number, every 250th has
// unsubscribed, and 50,000 are on an exclusion list. The campaign is launched with sendCampaign,
// its delivery claimed with claimDueDelivery, and prepareDelivery (Herald's real code) writes one
// ledger row per contact, each queued or skipped with a reason. The reference, in the same run on
// an identical copy of the database file: one INSERT … SELECT that writes the same rows with the
// same decisions — what SQLite alone can do.
import fs from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { updateAccountProfile } from '../src/app/accounts/account-profile.ts';
import { sendCampaign } from '../src/app/campaigns/send-campaign.ts';
import { createCampaign } from '../src/app/campaigns/write-campaign.ts';
import { claimDueDelivery } from '../src/app/deliveries/claim-due-delivery.ts';
import { prepareDelivery } from '../src/app/deliveries/prepare-delivery.ts';
import { createTemplate } from '../src/app/templates/create-template.ts';
import { createSqliteDatabase, openBenchApp } from './support/bench-database.ts';
import { BODY, FROM_EMAIL, SUBJECT } from './support/newsletter.ts';
import { emit, progress, round, scaled } from './support/report.ts';
import { type SeededAudience, seedAudience } from './support/seed-audience.ts';

const TARGET_SECONDS = 10;

/**
 * The same ledger rows as prepareDelivery writes, decided in SQL in the same order as
 * src/core/channels.ts: excluded, then no address, then not subscribed.
 */
function referenceInsert(accountId: number, campaignId: number, audience: SeededAudience, now: string): string {
  const excluded = `x.contact_id IS NOT NULL`;
  return `INSERT INTO messages (account_id, delivery_id, campaign_id, contact_id, channel, address, status, reason, next_attempt_at, created_at, updated_at)
    SELECT s.account_id, 0, ${campaignId}, c.id, 'email', c.email,
      CASE WHEN ${excluded} OR c.email IS NULL OR s.status <> 'subscribed' THEN 'skipped' ELSE 'queued' END,
      CASE WHEN ${excluded} THEN 'excluded_by_list' WHEN c.email IS NULL THEN 'no_address_for_channel'
           WHEN s.status = 'unsubscribed' THEN 'unsubscribed' WHEN s.status <> 'subscribed' THEN 'consent_pending' END,
      CASE WHEN ${excluded} OR c.email IS NULL OR s.status <> 'subscribed' THEN NULL ELSE '${now}' END,
      '${now}', '${now}'
    FROM subscriptions s JOIN contacts c ON c.id = s.contact_id
    LEFT JOIN subscriptions x ON x.contact_id = s.contact_id AND x.list_id = ${audience.excludeListId} AND x.status <> 'unsubscribed'
    WHERE s.list_id = ${audience.listId} AND s.account_id = ${accountId}`;
}

/** Runs the reference on its own copy of the database, with the pragmas Herald's adapter sets. */
function runReference(file: string, sqlText: string): { rows: number; queued: number; seconds: number } {
  const db = new DatabaseSync(file);
  try {
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    const t0 = performance.now();
    const r = db.prepare(sqlText).run();
    const seconds = (performance.now() - t0) / 1000;
    const q = db.prepare(`SELECT count(*) AS n FROM messages WHERE delivery_id = 0 AND status = 'queued'`).get() as { n: number };
    return { rows: Number(r.changes), queued: Number(q.n), seconds };
  } finally {
    db.close();
  }
}

export async function runPrepareBench(scale: number): Promise<void> {
  const contacts = scaled(1_000_000, scale);
  const db = createSqliteDatabase('prepare');
  try {
    progress(`prepare: seeding ${contacts} contacts (SQLite)`);
    let t0 = performance.now();
    const seeded = await openBenchApp(db.url);
    let audience: SeededAudience;
    let campaignId: number;
    try {
      const { deps } = seeded.app;
      audience = await seedAudience(deps.store, seeded.actor.accountId, {
        contacts,
        phoneOnlyEvery: 331,
        unsubscribedEvery: 250,
        excluded: scaled(50_000, scale, 100),
      });
      const template = await createTemplate(deps, seeded.actor, { name: 'Bench newsletter', format: 'html', subject: SUBJECT, body: BODY });
      const campaign = await createCampaign(deps, seeded.actor, {
        name: 'Bench prepare',
        template_id: template.id,
        from_email: FROM_EMAIL,
        audience: { list_ids: [audience.listId], exclude_list_ids: [audience.excludeListId!] },
      });
      campaignId = campaign.id;
      await updateAccountProfile(deps, seeded.actor, { company_name: 'Bench', phone: '+49 30 1234567', postal_address: 'Hauptstraße 1, 10115 Berlin' });
      await sendCampaign(deps, seeded.actor, campaign.id);
    } finally {
      // Closing the last connection checkpoints the WAL into the file, so a copy is complete.
      await seeded.app.close();
    }
    progress(
      `prepare: seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s ` +
        `(${audience.phoneOnly} phone-only, ${audience.unsubscribed} unsubscribed, ${audience.excluded} on the exclusion list)`,
    );

    const referenceFile = `${db.file}.reference`;
    fs.copyFileSync(db.file!, referenceFile);
    progress('prepare: reference INSERT … SELECT on a copy of the database');
    const reference = runReference(referenceFile, referenceInsert(seeded.actor.accountId, campaignId, audience, new Date().toISOString()));
    fs.rmSync(referenceFile, { force: true });

    progress('prepare: Herald prepareDelivery');
    const { app } = await openBenchApp(db.url);
    try {
      const deliveryId = await claimDueDelivery(app.deps);
      if (deliveryId === null) throw new Error('prepare: the launched delivery could not be claimed');
      t0 = performance.now();
      const result = await prepareDelivery(app.deps, deliveryId);
      const seconds = (performance.now() - t0) / 1000;
      if (result.total !== reference.rows || result.queued !== reference.queued) {
        throw new Error(
          `prepare: Herald wrote ${result.total} ledger rows (${result.queued} queued), the reference ${reference.rows} (${reference.queued} queued): ` +
            'they must decide the same rows',
        );
      }
      const rate = result.total / seconds;
      const referenceRate = reference.rows / reference.seconds;
      emit({
        bench: 'prepare',
        subject: 'herald',
        dialect: 'sqlite',
        contacts,
        rows: result.total,
        queued: result.queued,
        skipped: result.skipped,
        seconds: round(seconds, 3),
        rows_per_s: Math.round(rate),
        reference: { name: 'sqlite-insert-select', seconds: round(reference.seconds, 3), rows_per_s: Math.round(referenceRate) },
        ratio: round(rate / referenceRate, 3),
        target: `≤ ${TARGET_SECONDS} s for 1,000,000 contacts`,
        target_met: contacts >= 1_000_000 ? seconds <= TARGET_SECONDS : `not measured (${contacts} contacts)`,
      });
    } finally {
      await app.close();
    }
  } finally {
    await db.drop();
  }
}
