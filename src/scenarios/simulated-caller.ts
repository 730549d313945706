import { generateText, type LanguageModel, type ModelMessage } from 'ai';
import type { SimulatedCallerData } from './format.ts';

// `caller.simulate`: a language model plays the caller, turn by turn, from a persona and a
// goal, and says it is done when the goal is reached — so a scenario can test how the agent
// copes with someone it was not scripted for.

const DONE = '[END]';

/** The simulated caller's next line, and whether it is done after saying it. */
export interface CallerLine {
  say?: string;
  done: boolean;
}

/** Asks the caller model for its next turn, given what has been said so far. */
export async function nextCallerLine(model: LanguageModel, sim: SimulatedCallerData, transcript: readonly { role: 'agent' | 'caller'; text: string }[], signal: AbortSignal): Promise<CallerLine> {
  const instructions = [
    'You are role-playing a person talking to a business’s voice assistant. Stay in character; never mention that you are an AI or a test.',
    `Who you are: ${sim.persona}`,
    `What you want: ${sim.goal}`,
    'Say one short, natural spoken turn at a time, only your own words.',
    `When what you want is done, or the assistant has said goodbye, reply with exactly ${DONE}.`,
  ].join('\n');
  // From the caller's side the agent is the other party: its turns are "user" messages.
  const messages: ModelMessage[] = transcript.map((t) => (t.role === 'agent' ? { role: 'user', content: t.text } : { role: 'assistant', content: t.text }));
  const { text } = await generateText({ model, instructions, messages, temperature: 0.7, maxRetries: 1, abortSignal: signal });
  const done = text.includes(DONE);
  const say = text.split(DONE).join(' ').trim();
  return { say: say || undefined, done };
}
