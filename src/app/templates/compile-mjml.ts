// MJML → HTML, once per template. mjml 5's compiler is asynchronous. Liquid tags pass through
// MJML as text wherever MJML keeps text (mj-text, mj-button, mj-raw, attribute values); a tag
// placed anywhere else (between two <mj-section>s) is dropped by MJML without a word, so the
// compiled HTML is checked for every tag of the source.
import type mjml2htmlType from 'mjml';
import { decodeEntities } from '../../core/html-to-text.ts';
import { invalid } from '../errors.ts';

interface MjmlValidationError {
  line: number;
  message: string;
  tagName: string;
}

const LIQUID_TAG = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g;

/** The same tag reads the same after MJML re-encodes quotes or re-indents it. */
function normalizeTag(tag: string): string {
  return decodeEntities(tag).replace(/\s+/g, ' ');
}

function checkLiquidSurvived(source: string, html: string): void {
  const compiled = new Map<string, number>();
  for (const m of html.matchAll(LIQUID_TAG)) {
    const key = normalizeTag(m[0]);
    compiled.set(key, (compiled.get(key) ?? 0) + 1);
  }
  let line = 1;
  let scanned = 0;
  for (const m of source.matchAll(LIQUID_TAG)) {
    const key = normalizeTag(m[0]);
    const left = compiled.get(key) ?? 0;
    if (left > 0) {
      compiled.set(key, left - 1);
      continue;
    }
    for (; scanned < m.index; scanned++) if (source.charCodeAt(scanned) === 10) line++;
    throw invalid(
      'body',
      `line ${line}: MJML drops the Liquid tag ${m[0]} because it is not inside an element that keeps text; put it inside <mj-raw>…</mj-raw> (or inside <mj-text>)`,
      { line },
    );
  }
}

// Whitespace, an XML declaration and comments may come first.
const MJML_ROOT = /^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<mjml[\s>]/i;

export async function compileMjml(source: string): Promise<string> {
  // MJML's own message for this case ("Parsing failed") does not say what is wrong.
  if (!MJML_ROOT.test(source)) {
    throw invalid('body', 'line 1: an MJML body starts with <mjml>; for a body in HTML choose the format "html"', { line: 1 });
  }
  // MJML and its dependencies take ~90 MB of heap; load them only when an MJML template is
  // compiled, so that processes that never compile one (an HTML-only worker, the CLI) stay small.
  const { default: mjml2html } = await import('mjml');
  let result: Awaited<ReturnType<typeof mjml2htmlType>>;
  try {
    result = await mjml2html(source, {
      validationLevel: 'strict',
      // mj-include reads files from the server's disk; a template body must never do that.
      ignoreIncludes: true,
    });
  } catch (err) {
    const errors = (err as { errors?: MjmlValidationError[] }).errors;
    if (Array.isArray(errors) && errors.length > 0) {
      const first = errors[0];
      const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
      // MJML parses attributes before Liquid runs, so `href="{{ x | default: "y" }}"` ends at the inner quote.
      const sourceLine = source.split('\n')[first.line - 1] ?? '';
      const hint = /="[^"]*\{[{%][^}]*"/.test(sourceLine)
        ? `; inside a double-quoted attribute write Liquid strings in single quotes (default: 'text')`
        : '';
      throw invalid('body', `line ${first.line}: ${first.message}${more}${hint}`, {
        line: first.line,
        errors: errors.map((e) => ({ line: e.line, message: e.message, tag: e.tagName })),
      });
    }
    throw invalid('body', `MJML could not be compiled: ${(err as Error).message}`);
  }
  checkLiquidSurvived(source, result.html);
  return result.html;
}
