import { generateText, type LanguageModel } from 'ai';
import { z } from 'zod';
import type { RunTurn } from './result.ts';

// A rubric is a rule no pattern can check ("never quotes a price that is not in the
// documents"). A language model reads the transcript, tool calls included, and decides.
// The verdict is asked for as plain JSON text rather than through a provider's structured
// output mode, which many OpenAI-compatible servers (Ollama, llama.cpp) lack.

const Verdict = z.object({ pass: z.boolean(), reason: z.string() });

/** A judge's decision on one rubric. */
export type RubricVerdict = z.infer<typeof Verdict>;

const INSTRUCTIONS = [
  'You check conversations between a business’s voice agent and a caller against one rule.',
  'Judge only the agent’s behaviour. Tool calls are shown in brackets with what the tool returned.',
  'Answer pass=false if the agent broke the rule even once; be strict but do not invent problems.',
  'Reply with only a JSON object: {"pass": true or false, "reason": "one or two sentences, quoting the agent where it broke the rule"}.',
].join(' ');

/** Asks the judge model whether the conversation follows `rubric`. */
export async function judgeRubric(model: LanguageModel, rubric: string, transcript: RunTurn[], signal: AbortSignal): Promise<RubricVerdict> {
  const { text } = await generateText({
    model,
    instructions: INSTRUCTIONS,
    prompt: `CONVERSATION\n${transcriptText(transcript)}\n\nRULE\n${rubric}\n\nDoes the agent follow the rule?`,
    temperature: 0,
    maxRetries: 1,
    abortSignal: signal,
  });
  return parseVerdict(text);
}

/** The verdict in a judge's reply, tolerating code fences and words around the JSON. */
export function parseVerdict(text: string): RubricVerdict {
  const json = /\{[\s\S]*\}/.exec(text)?.[0];
  try {
    return Verdict.parse(JSON.parse(json ?? ''));
  } catch {
    throw new Error(`the judge did not answer with {"pass", "reason"} JSON: ${text.slice(0, 200)}`);
  }
}

/** The transcript as plain lines for a model to read. */
export function transcriptText(transcript: RunTurn[]): string {
  const lines: string[] = [];
  for (const t of transcript) {
    // Tools run before the words they inform, so they come first.
    for (const c of t.tools) lines.push(`  [tool ${c.name}(${JSON.stringify(c.input)}) → ${c.error ? `error: ${c.error}` : JSON.stringify(c.result)?.slice(0, 400)}]`);
    lines.push(`${t.role === 'agent' ? 'Agent' : 'Caller'}: ${t.text}`);
  }
  return lines.join('\n');
}
