// The checks every way in (API, CLI, other use cases) goes through before a template is compiled.
import { invalid } from '../errors.ts';
import type { TemplateFormat } from './compile-template.ts';

export const TEMPLATE_FORMATS: readonly TemplateFormat[] = ['mjml', 'html'];
/** Channels with a template compiler. SMS templates (plain text, no subject) join this list with their own. */
export const TEMPLATE_CHANNELS = ['email'] as const;
export type TemplateChannel = (typeof TEMPLATE_CHANNELS)[number];

export const MAX_NAME_LENGTH = 200;
/** RFC 5322 caps a header line at 998 characters. */
export const MAX_SUBJECT_LENGTH = 998;
/** Far above what inboxes show (Gmail clips at 102 KB) yet small enough to compile quickly. */
export const MAX_BODY_LENGTH = 512 * 1024;

export function checkName(name: unknown): string {
  if (typeof name !== 'string' || name.trim() === '') throw invalid('name', 'is required');
  if (name.length > MAX_NAME_LENGTH) throw invalid('name', `must be at most ${MAX_NAME_LENGTH} characters`);
  return name.trim();
}

export function checkChannel(channel: unknown): TemplateChannel {
  if (!TEMPLATE_CHANNELS.includes(channel as TemplateChannel)) {
    throw invalid('channel', `must be one of ${TEMPLATE_CHANNELS.join(', ')}; got ${JSON.stringify(channel)}`);
  }
  return channel as TemplateChannel;
}

export function checkFormat(format: unknown): TemplateFormat {
  if (!TEMPLATE_FORMATS.includes(format as TemplateFormat)) {
    throw invalid('format', `must be one of ${TEMPLATE_FORMATS.join(', ')}; got ${JSON.stringify(format)}`);
  }
  return format as TemplateFormat;
}

export function checkSubject(subject: unknown): string {
  if (typeof subject !== 'string' || subject.trim() === '') throw invalid('subject', 'is required');
  if (subject.length > MAX_SUBJECT_LENGTH) throw invalid('subject', `must be at most ${MAX_SUBJECT_LENGTH} characters`);
  return subject;
}

export function checkBody(body: unknown): string {
  if (typeof body !== 'string' || body.trim() === '') throw invalid('body', 'is required');
  if (body.length > MAX_BODY_LENGTH) throw invalid('body', `must be at most ${MAX_BODY_LENGTH / 1024} KB (got ${Math.ceil(body.length / 1024)} KB)`);
  return body;
}
