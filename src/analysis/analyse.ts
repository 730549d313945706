import { generateText, type LanguageModel, type ModelMessage } from 'ai';
import type { AnalysisConfig } from '../agent/schema.ts';
import type { AnalysisRecord } from '../store/record-types.ts';
import type { ConversationRecord } from '../store/records.ts';
import { errorText } from '../util/error-text.ts';
import { analysisPrompt, answerSchema, INSTRUCTIONS } from './prompt.ts';

// One analysis of one conversation. An answer that is not the JSON asked for (or has a field of
// the wrong type) is a validation error: the model is told what was wrong and asked once more,
// then the analysis is 'failed' with the reason. A provider error (network, 5xx, rate limit) is
// thrown as ProviderError, for the queue to retry later with back-off.

/** The model could not be reached or refused the call; worth retrying later. */
export class ProviderError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProviderError';
  }
}

/** Asks `model` for the analysis of `record`; resolves with 'done' or 'failed' (validation), throws ProviderError. */
export async function analyseConversation(o: { model: LanguageModel; label: string; config: AnalysisConfig; record: ConversationRecord; signal: AbortSignal; now?: () => Date; attemptsBefore?: number }): Promise<AnalysisRecord> {
  const schema = answerSchema(o.config);
  const messages: ModelMessage[] = [{ role: 'user', content: analysisPrompt(o.config, o.record) }];
  let problem = '';
  let attempts = o.attemptsBefore ?? 0;
  for (let round = 0; round < 2; round++) {
    attempts++;
    let text: string;
    try {
      ({ text } = await generateText({ model: o.model, instructions: INSTRUCTIONS, messages, temperature: 0, maxRetries: 0, abortSignal: o.signal }));
    } catch (e) {
      if (o.signal.aborted) throw e;
      throw new ProviderError(`${o.label}: ${errorText(e)}`, { cause: e });
    }
    const checked = check(schema, text);
    if (checked.ok) {
      const a = checked.value;
      return { status: 'done', summary: a.summary ?? null, data: a.data as AnalysisRecord['data'], criteria: o.config.criteria.map((c) => a.criteria.find((v) => v.criterion === c)!), error: null, model: o.label, attempts, analysedAt: (o.now?.() ?? new Date()).toISOString() };
    }
    problem = checked.reason;
    messages.push({ role: 'assistant', content: text }, { role: 'user', content: `That answer is not valid: ${problem}. Reply again with only the JSON object, in exactly the shape asked for.` });
  }
  return { status: 'failed', summary: null, data: null, criteria: [], error: `invalid answer from the model (asked twice): ${problem}`, model: o.label, attempts, analysedAt: (o.now?.() ?? new Date()).toISOString() };
}

function check<S extends ReturnType<typeof answerSchema>>(schema: S, text: string): { ok: true; value: ReturnType<S['parse']> } | { ok: false; reason: string } {
  const json = /\{[\s\S]*\}/.exec(text)?.[0];
  let value: unknown;
  try {
    value = JSON.parse(json ?? '');
  } catch {
    return { ok: false, reason: `not a JSON object: ${text.slice(0, 120)}` };
  }
  const r = schema.safeParse(value);
  if (r.success) return { ok: true, value: r.data as ReturnType<S['parse']> };
  return { ok: false, reason: r.error.issues.map((i) => `${i.path.join('.') || '(answer)'}: ${i.message}`).join('; ') };
}
