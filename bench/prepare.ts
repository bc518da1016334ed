// Prepare benchmark (target: 1M contacts → ledger, with lists, segment rules and 50k
// suppressions, in ≤ 10 s) on SQLite.
//
// One list of 1,000,000 contacts, of whom every 331st has only a phone number, every 250th has
// unsubscribed, 50,000 are on an exclusion list and 50,000 email addresses have an active
// suppression (90 % blocklist, 10 % hard bounce). Every contact has attributes (plan,
// available_photos, test; see seed-audience.ts); the campaign's segment keeps the contacts that are
// on the pro plan or have photos (92.5 %), and an exclusion segment drops the test contacts. The
// campaign is launched with sendCampaign, its delivery claimed with claimDueDelivery, and
// prepareDelivery (Herald's real code) writes one ledger row per contact, each queued or skipped
// with a reason. The reference, in the same run on an identical copy of the database file: one
// INSERT … SELECT that writes the same rows with the same decisions — what SQLite alone can do.
// Both ledgers must agree on every reason's count, not only on the totals.
import fs from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { sql } from 'kysely';
import { updateAccountProfile } from '../src/app/accounts/account-profile.ts';
import { sendCampaign } from '../src/app/campaigns/send-campaign.ts';
import { createCampaign } from '../src/app/campaigns/write-campaign.ts';
import { claimDueDelivery } from '../src/app/deliveries/claim-due-delivery.ts';
import { prepareDelivery } from '../src/app/deliveries/prepare-delivery.ts';
import { createSegment } from '../src/app/segments/save-segment.ts';
import { createTemplate } from '../src/app/templates/create-template.ts';
import type { Store } from '../src/store/open-database.ts';
import { createSqliteDatabase, openBenchApp } from './support/bench-database.ts';
import { BODY, FROM_EMAIL, SUBJECT } from './support/newsletter.ts';
import { emit, progress, round, scaled } from './support/report.ts';
import { type SeededAudience, seedAudience } from './support/seed-audience.ts';

const TARGET_SECONDS = 10;

/** The campaign's segment: "pro customers or customers with available photos" (F0.6). */
const SEGMENT_RULES = {
  any: [
    { attribute: 'plan', op: 'eq', value: 'pro' },
    { attribute: 'available_photos', op: 'gt', value: 0 },
  ],
};
/** The campaign's exclusion segment. */
const EXCLUDE_SEGMENT_RULES = { all: [{ attribute: 'test', op: 'is_true' }] };

/**
 * The same ledger rows as prepareDelivery writes, decided in SQL in the order of
 * src/core/decide-message.ts: exclusion list, segments (exclusion segment, then the segment), no
 * address, (invalid address: every seeded domain is deliverable), suppression, subscription. The
 * segments are the rules above written by hand with json_extract, as someone writing SQL for this
 * data would; Herald compiles them with type checks that also hold for attributes stored as text.
 */
function referenceInsert(accountId: number, campaignId: number, audience: SeededAudience, now: string): string {
  const excludedBySegment = `json_extract(c.attributes, '$.test') = 1
            OR NOT (json_extract(c.attributes, '$.plan') = 'pro' OR json_extract(c.attributes, '$.available_photos') > 0)`;
  // Per address, the strongest suppression in force, as in src/core/suppression-reason.ts.
  const suppressions = `SELECT address, MAX(CASE reason WHEN 'blocklist' THEN 4 WHEN 'bounce' THEN 3 WHEN 'complaint' THEN 2 WHEN 'unsubscribe' THEN 1 END) AS strength
        FROM suppressions
        WHERE account_id = ${accountId} AND channel = 'email' AND removed_at IS NULL AND (expires_at IS NULL OR expires_at > '${now}')
        GROUP BY address`;
  // OFFSET 0 keeps SQLite from flattening the subquery into the INSERT, which would evaluate the
  // reason (and its json_extract calls) once for each of the three columns that use it.
  return `INSERT INTO messages (account_id, delivery_id, campaign_id, contact_id, channel, address, status, reason, next_attempt_at, created_at, updated_at)
    SELECT ${accountId}, 0, ${campaignId}, contact_id, 'email', email,
      CASE WHEN reason IS NULL THEN 'queued' ELSE 'skipped' END, reason, CASE WHEN reason IS NULL THEN '${now}' END, '${now}', '${now}'
    FROM (
      SELECT c.id AS contact_id, c.email,
        CASE WHEN x.contact_id IS NOT NULL THEN 'excluded_by_list'
          WHEN ${excludedBySegment} THEN 'excluded_by_segment'
          WHEN c.email IS NULL THEN 'no_address_for_channel'
          WHEN sp.strength = 4 THEN 'blocklisted' WHEN sp.strength = 3 THEN 'suppressed_bounce'
          WHEN sp.strength = 2 THEN 'suppressed_complaint' WHEN sp.strength = 1 THEN 'unsubscribed'
          WHEN s.status = 'unsubscribed' THEN 'unsubscribed' WHEN s.status <> 'subscribed' THEN 'consent_pending' END AS reason
      FROM subscriptions s JOIN contacts c ON c.id = s.contact_id
      LEFT JOIN subscriptions x ON x.contact_id = s.contact_id AND x.list_id = ${audience.excludeListId} AND x.status <> 'unsubscribed'
      LEFT JOIN (${suppressions}) sp ON sp.address = c.email
      WHERE s.list_id = ${audience.listId} AND s.account_id = ${accountId}
      LIMIT -1 OFFSET 0
    )`;
}

type ReasonCounts = Record<string, number>;

/** A delivery's ledger rows by reason ("queued" for the rows without one). */
function reasonCounts(db: DatabaseSync, deliveryId: number): ReasonCounts {
  const rows = db
    .prepare('SELECT coalesce(reason, status) AS reason, count(*) AS n FROM messages WHERE delivery_id = ? GROUP BY 1 ORDER BY 1')
    .all(deliveryId) as Array<{ reason: string; n: number }>;
  return Object.fromEntries(rows.map((r) => [r.reason, Number(r.n)]));
}

/** Runs the reference on its own copy of the database, with the pragmas Herald's adapter sets. */
function runReference(file: string, sqlText: string): { rows: number; queued: number; seconds: number; reasons: ReasonCounts } {
  const db = new DatabaseSync(file);
  try {
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    const t0 = performance.now();
    const r = db.prepare(sqlText).run();
    const seconds = (performance.now() - t0) / 1000;
    const reasons = reasonCounts(db, 0);
    return { rows: Number(r.changes), queued: reasons.queued ?? 0, seconds, reasons };
  } finally {
    db.close();
  }
}

/** Herald's ledger by reason, counted after the timed preparation through the app's own connection. */
async function heraldReasonCounts(store: Store, deliveryId: number): Promise<ReasonCounts> {
  const { rows } = await sql<{ reason: string; n: number }>`SELECT coalesce(reason, status) AS reason, count(*) AS n FROM messages
    WHERE delivery_id = ${deliveryId} GROUP BY 1 ORDER BY 1`.execute(store.db);
  return Object.fromEntries(rows.map((r) => [r.reason, Number(r.n)]));
}

const sameCounts = (a: ReasonCounts, b: ReasonCounts) => JSON.stringify(a) === JSON.stringify(b);

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
        attributes: true,
        suppressed: scaled(50_000, scale, 100),
      });
      // Through the app, as a marketer would: the rules are checked and stored as Herald stores them.
      const segment = await createSegment(deps, seeded.actor, { name: 'Pro or with photos', rules: SEGMENT_RULES });
      const testContacts = await createSegment(deps, seeded.actor, { name: 'Test contacts', rules: EXCLUDE_SEGMENT_RULES });
      const template = await createTemplate(deps, seeded.actor, { name: 'Bench newsletter', format: 'html', subject: SUBJECT, body: BODY });
      const campaign = await createCampaign(deps, seeded.actor, {
        name: 'Bench prepare',
        template_id: template.id,
        from_email: FROM_EMAIL,
        audience: {
          list_ids: [audience.listId],
          exclude_list_ids: [audience.excludeListId!],
          segment_id: segment.id,
          exclude_segment_ids: [testContacts.id],
        },
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
        `(${audience.phoneOnly} phone-only, ${audience.unsubscribed} unsubscribed, ${audience.excluded} on the exclusion list, ${audience.suppressed} suppressed)`,
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
      const reasons = await heraldReasonCounts(app.deps.store, deliveryId);
      if (result.total !== reference.rows || result.queued !== reference.queued || !sameCounts(reasons, reference.reasons)) {
        throw new Error(
          `prepare: Herald wrote ${result.total} ledger rows (${result.queued} queued), the reference ${reference.rows} (${reference.queued} queued); ` +
            `by reason Herald ${JSON.stringify(reasons)}, the reference ${JSON.stringify(reference.reasons)}: they must decide the same rows`,
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
        reasons,
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
