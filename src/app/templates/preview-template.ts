// Renders a template as one contact would receive it: a real contact of the same account, or a
// sample contact (optionally with the fields the caller wants to try).
import type { LintWarning } from '../../core/template-lint.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import type { RenderContext } from './compiled-template.ts';
import { findTemplateRow } from './get-template.ts';
import { PERSONAL_LINKS, personalLinkSigner } from './personal-link-filter.ts';
import { parseContactAttributes, renderContextFor } from './render-context.ts';
import { toTemplateSource } from './template-view.ts';
import { validateTemplate } from './validate-template.ts';

export type SampleContact = Partial<Omit<RenderContext['contact'], 'id'>>;

export interface PreviewOptions {
  contactId?: number;
  /** Fields of the sample contact used when no contactId is given. */
  sample?: SampleContact;
}

export interface TemplatePreview {
  subject: string;
  html: string;
  text: string;
  warnings: LintWarning[];
}

const SAMPLE_CONTACT: RenderContext['contact'] = {
  id: 0,
  email: 'sample@example.com',
  phone: null,
  first_name: 'Sample',
  last_name: 'Contact',
  timezone: null,
  locale: null,
  attributes: {},
};

/** A preview is no campaign; id 0 marks it. */
const PREVIEW_CAMPAIGN = { id: 0, name: 'Preview' };

export async function previewTemplate(deps: AppDeps, actor: Actor, templateId: number, options: PreviewOptions = {}): Promise<TemplatePreview> {
  const row = await findTemplateRow(deps, actor, templateId);
  const account = await deps.store.db
    .selectFrom('accounts')
    .select(['id', 'name'])
    .where('id', '=', actor.accountId)
    .executeTakeFirstOrThrow();
  // The real link is signed per message at send time; a preview link must not unsubscribe anyone.
  const unsubscribeUrl = `${deps.config.publicUrl}/unsubscribe/preview`;
  // Personal links are signed for real, as the contact would get them (the sample contact, id 0,
  // gets a link that verifies as an unknown contact): the preview shows their true shape.
  const personalLinks = personalLinkSigner(deps.config.secret, actor.accountId, deps.clock.now());

  let context: RenderContext;
  if (options.contactId !== undefined) {
    const contact = await deps.store.db
      .selectFrom('contacts')
      .select(['id', 'email', 'phone', 'first_name', 'last_name', 'timezone', 'locale', 'attributes'])
      .where('account_id', '=', actor.accountId)
      .where('id', '=', options.contactId)
      .executeTakeFirst();
    if (!contact) throw notFound('contact', options.contactId, 'contact_id');
    context = renderContextFor(contact, { campaign: PREVIEW_CAMPAIGN, account, unsubscribeUrl, personalLinks });
  } else {
    const sample = options.sample ?? {};
    const contact = { ...SAMPLE_CONTACT, ...sample, id: 0, attributes: { ...(sample.attributes ?? {}) } };
    // Round-trip through JSON like a stored contact, so the preview sees what a real send would.
    contact.attributes = parseContactAttributes(0, JSON.stringify(contact.attributes));
    context = { contact, campaign: PREVIEW_CAMPAIGN, account, unsubscribe_url: unsubscribeUrl, [PERSONAL_LINKS]: personalLinks };
  }

  const { compiled, warnings } = await validateTemplate(toTemplateSource(row));
  const rendered = await compiled.render(context);
  return { ...rendered, warnings };
}
