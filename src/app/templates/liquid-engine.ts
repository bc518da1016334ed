// The Liquid configuration every template uses, and the conversion of Liquid's errors into
// AppErrors that name the field, line and column.
//
// Two engines with the same settings: outputEscape is an engine option in LiquidJS, and the HTML
// part needs it ("<b>" in a first name must arrive as text) while the subject and the plain-text
// part must not get "&lt;b&gt;".
import { AssertionError, Liquid, LiquidError, type LiquidOptions, type Template } from 'liquidjs';
import { AppError, invalid } from '../errors.ts';
import { registerPersonalLinkFilter } from './personal-link-filter.ts';

/**
 * A typical newsletter renders in about 0.04 ms; 100 ms is a runaway loop, not a slow template.
 * The limit is wall-clock time, so a render that exceeds it gets one more try (see renderLiquid).
 */
export const RENDER_LIMIT_MS = 100;
/** Characters parsed per template: the compiled HTML of a large MJML newsletter stays far below. */
export const PARSE_LIMIT_CHARS = 1_000_000;
/** LiquidJS counts allocated array items and string characters against this (about 10 MB of text). */
export const MEMORY_LIMIT_UNITS = 10_000_000;

function createEngine(outputEscape: LiquidOptions['outputEscape']): Liquid {
  const engine = new Liquid({
    // Contact data reaches templates as plain objects; "constructor", "__proto__" and friends
    // must read as nothing.
    ownPropertyOnly: true,
    // A misspelt filter is a mistake to report at save time, not text to drop silently.
    strictFilters: true,
    // Unknown variables render empty so `{{ contact.first_name | default: "there" }}` works.
    strictVariables: false,
    parseLimit: PARSE_LIMIT_CHARS,
    renderLimit: RENDER_LIMIT_MS,
    memoryLimit: MEMORY_LIMIT_UNITS,
    outputEscape,
    // No file system: an in-memory, empty template map means no path reaches the server's disk.
    templates: {},
  });
  // Templates are self-contained; include/render/layout would only ever fail (or read files).
  for (const tag of ['include', 'render', 'layout']) delete engine.tags[tag];
  registerPersonalLinkFilter(engine);
  return engine;
}

/** For the HTML part: every `{{ … }}` output is HTML-escaped unless it ends in `| raw`. */
export const htmlEngine = createEngine('escape');
/** For the subject and the plain-text part: output as is. */
export const textEngine = createEngine(undefined);

const POSITION_SUFFIX = /,? line:\d+, col:\d+$/;

function positionOf(err: LiquidError): { line: number; column: number } | null {
  const pos = err.token?.getPosition?.();
  return pos && pos.length >= 2 ? { line: pos[0], column: pos[1] } : null;
}

/**
 * Parses once; a syntax error becomes invalid_input on `field` with "line L, column C".
 * `where` names the text when it is not what the user typed ("in the HTML compiled from MJML").
 */
export function parseLiquid(engine: Liquid, source: string, field: string, where = ''): Template[] {
  try {
    return engine.parse(source);
  } catch (err) {
    const prefix = where ? `${where}, ` : '';
    if (LiquidError.is(err)) {
      const pos = positionOf(err);
      const at = pos ? `line ${pos.line}, column ${pos.column}: ` : '';
      throw invalid(field, `${prefix}${at}${err.message.replace(POSITION_SUFFIX, '')}`, pos ?? undefined);
    }
    if (err instanceof AssertionError) {
      throw invalid(field, `${prefix}${err.message}: the template is over ${PARSE_LIMIT_CHARS.toLocaleString('en')} characters`);
    }
    throw err;
  }
}

const RENDER_LIMIT_MESSAGE = 'template render limit exceeded';

/** LiquidJS throws the render limit as a RenderError inside a tag, or as a bare AssertionError between tags. */
function isRenderLimit(err: unknown): boolean {
  return (LiquidError.is(err) || err instanceof AssertionError) && err.message.includes(RENDER_LIMIT_MESSAGE);
}

function renderFailure(err: unknown, field: string, part: string): unknown {
  if (!LiquidError.is(err) && !(err instanceof AssertionError)) return err;
  const pos = LiquidError.is(err) ? positionOf(err) : null;
  const bare = err.message.replace(POSITION_SUFFIX, '');
  const why = bare.includes(RENDER_LIMIT_MESSAGE)
    ? ` (a render may take ${RENDER_LIMIT_MS} ms; look for a loop that runs too often)`
    : bare.includes('memory alloc limit exceeded')
      ? ' (the template builds too much text or too large a range; look for a loop that runs too often)'
      : '';
  return new AppError(
    'invalid_input',
    `rendering the ${part} failed${pos ? ` at line ${pos.line}, column ${pos.column}` : ''}: ${bare}${why}`,
    field,
    { part, ...pos },
  );
}

/**
 * Renders parsed templates. Synchronous on purpose: no filter Herald allows is asynchronous, and
 * the sync path skips a promise per tag (measured: 0.033–0.037 ms against 0.048–0.067 ms per
 * recipient for a 10 KB MJML newsletter, subject + HTML + text). A failure becomes invalid_input on `field`.
 */
export function renderLiquid(engine: Liquid, templates: Template[], scope: object, field: string, part: string): string {
  try {
    return engine.renderSync(templates, scope);
  } catch (err) {
    if (!isRenderLimit(err)) throw renderFailure(err, field, part);
  }
  // The render limit is wall-clock time: on a busy machine a GC pause or a descheduled process
  // pushed a 0.04 ms render past 50 ms in a 20,000-render run. A second try tells such a hiccup
  // from a runaway loop, which fails again.
  try {
    return engine.renderSync(templates, scope);
  } catch (err) {
    throw renderFailure(err, field, part);
  }
}
