import type { LanguageModel } from 'ai';
import { analyseConversation, ProviderError } from '../analysis/analyse.ts';
import type { Agent } from '../agent/load.ts';
import { analysisModel } from '../llm/analysis-model.ts';
import { resolveModel } from '../llm/model.ts';
import type { AnalysisRecord } from '../store/record-types.ts';
import { Records } from '../store/records.ts';
import type { Store } from '../store/store.ts';
import { startFakeOpenAI } from '../testing/openai.ts';
import { errorText } from '../util/error-text.ts';
import type { Finding } from './expectations.ts';
import type { AnalysisExpectData, ScenarioData } from './format.ts';
import { mismatch, show, shownPattern, textPattern } from './match.ts';
import { isModelMissing } from './models.ts';

// `expect.analysis`: once the scenario's conversation ended, its post-call analysis runs as the
// server would run it (same prompt, same validation), answered by `model.analysis` when the
// scenario scripts it, else by the agent's analysis model. Then the expectation is checked.

/** Runs the analysis of the recorded conversation and checks `expect.analysis`; a note instead when no model is configured. */
export async function analysisFindings(o: { agent: Agent; data: ScenarioData; store: Store; conversationId: string; agentModel: () => Promise<LanguageModel[]>; env: NodeJS.ProcessEnv; signal: AbortSignal; notes: string[] }): Promise<Finding[]> {
  const want = o.data.expect.analysis;
  if (!want) return [];
  const config = o.agent.config.analysis;
  if (!config) return [{ path: ['expect', 'analysis'], message: 'the agent declares no analysis block in agent.yaml, so there is nothing to check' }];
  const record = await new Records(o.store.db).get(o.conversationId);
  if (!record) return [{ path: ['expect', 'analysis'], message: 'the conversation was not recorded' }];
  const scripted = o.data.model?.analysis;
  const step = { text: typeof scripted === 'string' ? scripted : JSON.stringify(scripted) };
  // The same answer each time it is asked (an invalid answer is asked for once more).
  const fake = scripted === undefined ? undefined : await startFakeOpenAI({ steps: [step, step] });
  try {
    let model: { model: LanguageModel; label: string } | { skip: string };
    if (fake) model = { model: resolveModel({ spec: 'openai-compatible:scripted', baseURL: fake.url, apiKey: 'scripted' }, {}), label: 'model.analysis' };
    else {
      try {
        const [main] = config.model ? [] : await o.agentModel();
        model = analysisModel(o.agent, o.env, main && { model: main, label: o.agent.config.brain.llm });
      } catch (e) {
        if (!isModelMissing(e)) throw e;
        model = { skip: `no model: ${e.message}` };
      }
    }
    if ('skip' in model && (want.status ?? 'done') !== 'skipped') {
      o.notes.push(`analysis not checked (${model.skip}); add model.analysis to the scenario to check it without one`);
      return [];
    }
    const analysis: AnalysisRecord =
      'skip' in model
        ? { status: 'skipped', summary: null, data: null, criteria: [], error: model.skip, model: null, attempts: 0, analysedAt: new Date().toISOString() }
        : await analyseConversation({ model: model.model, label: model.label, config, record, signal: o.signal });
    return checkAnalysis(want, analysis);
  } catch (e) {
    if (o.signal.aborted) throw e;
    return [{ path: ['expect', 'analysis'], message: `the analysis could not run: ${e instanceof ProviderError ? e.message : errorText(e)}` }];
  } finally {
    await fake?.close();
  }
}

/** What in `analysis` does not match `expect.analysis`. */
export function checkAnalysis(want: AnalysisExpectData, analysis: AnalysisRecord): Finding[] {
  const out: Finding[] = [];
  const fail = (path: (string | number)[], message: string) => out.push({ path: ['expect', 'analysis', ...path], message });
  const status = want.status ?? 'done';
  if (analysis.status !== status) {
    fail(want.status ? ['status'] : [], `the analysis was ${analysis.status}${analysis.error ? ` (${analysis.error})` : ''}, expected ${status}`);
    return out;
  }
  want.summary?.forEach((p, i) => {
    if (textPattern(p).find(analysis.summary ?? '') === undefined) fail(want.summary!.length > 1 ? ['summary', i] : ['summary'], `the summary does not say ${shownPattern(p)}: ${show(analysis.summary)}`);
  });
  for (const [field, value] of Object.entries(want.data ?? {})) {
    const problem = mismatch(value, analysis.data?.[field], [field]);
    if (problem) fail(['data', field], problem);
  }
  for (const [criterion, verdict] of Object.entries(want.criteria ?? {})) {
    const got = analysis.criteria.find((c) => c.criterion.toLowerCase() === criterion.toLowerCase());
    if (!got) fail(['criteria', criterion], `no criterion "${criterion}" was judged (the agent's criteria: ${analysis.criteria.map((c) => JSON.stringify(c.criterion)).join(', ') || 'none'})`);
    else if ((got.pass ? 'pass' : 'fail') !== verdict) fail(['criteria', criterion], `judged ${got.pass ? 'pass' : 'fail'}, expected ${verdict}: ${got.reason}`);
  }
  return out;
}
