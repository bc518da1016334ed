// Compile and lint without saving: what a save would say, for editors and `POST /templates/validate`.
import { type LintWarning, lintEmailHtml } from '../../core/template-lint.ts';
import { type CompiledEmailTemplate, compileTemplate, type TemplateSource } from './compile-template.ts';
import { checkBody, checkFormat, checkSubject } from './template-input.ts';

export interface ValidatedTemplate {
  compiled: CompiledEmailTemplate;
  warnings: LintWarning[];
}

/** Throws invalid_input naming field and line for a Liquid or MJML error; otherwise returns the lint warnings. */
export async function validateTemplate(input: TemplateSource): Promise<ValidatedTemplate> {
  const source: TemplateSource = { format: checkFormat(input.format), subject: checkSubject(input.subject), body: checkBody(input.body) };
  const compiled = await compileTemplate(source);
  return { compiled, warnings: lintEmailHtml(compiled.htmlSource, source) };
}
