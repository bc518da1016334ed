// Compile once per delivery, render once per recipient. Everything that costs more than a
// string walk happens here: MJML → HTML, Liquid parsing of subject, HTML and plain text, and the
// plain-text part derived from the HTML. render() then only evaluates three parsed templates.
import { htmlToText } from '../../core/html-to-text.ts';
import type { CompiledTemplate, RenderContext, RenderedEmail } from './compiled-template.ts';
import { compileMjml } from './compile-mjml.ts';
import { htmlEngine, parseLiquid, renderLiquid, textEngine } from './liquid-engine.ts';

export type TemplateFormat = 'mjml' | 'html';

export interface TemplateSource {
  format: TemplateFormat;
  subject: string;
  body: string;
  /** MJML already compiled to HTML when the template was saved; skips MJML (and loading it). */
  compiledHtml?: string | null;
}

/** A compiled email template, with the sources it renders (for lint and for showing them). */
export interface CompiledEmailTemplate extends CompiledTemplate {
  /** The HTML with Liquid tags still in it (for MJML: MJML's output). */
  readonly htmlSource: string;
  /** The plain-text part, a Liquid template made from htmlSource. */
  readonly textSource: string;
}

export async function compileTemplate(input: TemplateSource): Promise<CompiledEmailTemplate> {
  const subject = parseLiquid(textEngine, input.subject, 'subject');
  let htmlSource = input.body;
  if (input.format === 'mjml' && input.compiledHtml) {
    htmlSource = input.compiledHtml;
  } else if (input.format === 'mjml') {
    // Liquid errors first, on the text the author wrote, so their lines match the editor's.
    parseLiquid(textEngine, input.body, 'body');
    htmlSource = await compileMjml(input.body);
  }
  const html = parseLiquid(htmlEngine, htmlSource, 'body', input.format === 'mjml' ? 'in the HTML compiled from MJML' : '');
  const textSource = htmlToText(htmlSource);
  const text = parseLiquid(textEngine, textSource, 'body', 'in the plain-text part made from the HTML');

  return {
    htmlSource,
    textSource,
    async render(context: RenderContext): Promise<RenderedEmail> {
      return {
        // A subject is one line: line breaks from contact data must not reach the header.
        subject: renderLiquid(textEngine, subject, context, 'subject', 'subject').replace(/\s+/g, ' ').trim(),
        html: renderLiquid(htmlEngine, html, context, 'body', 'HTML part'),
        // Liquid tags on lines of their own leave empty lines behind; a paragraph break is enough.
        text: renderLiquid(textEngine, text, context, 'body', 'plain-text part')
          .replace(/\n[ \t]*(?:\n[ \t]*)+\n/g, '\n\n')
          .trim(),
      };
    },
  };
}
