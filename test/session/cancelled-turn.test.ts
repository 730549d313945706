import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { loadAgent, type Agent } from '../../src/agent/load.ts';
import { Conversation } from '../../src/session/conversation.ts';
import type { Store } from '../../src/store/store.ts';
import { ScriptedModel } from '../../src/testing/scripted-model.ts';
import { EXAMPLE } from '../helpers/cli.ts';
import { openTestStore } from '../helpers/store.ts';

// Found by the simulator (seed 2049 and 12 others in 100,000): a caller who hung up while the
// turn's documents were still being searched left the model answering — and billing — after
// the call had ended, because the cancel came before the model call listened for it.

let store: Store;
let agent: Agent;
before(async () => {
  store = await openTestStore();
  const example = await loadAgent(EXAMPLE);
  agent = { ...example, config: { ...example.config, knowledge: { ...example.config.knowledge, strict: false } } };
});
after(() => store.close());

it('a turn cancelled before its model call starts never reaches the model', async () => {
  const model = new ScriptedModel([{ text: 'An answer nobody will hear.' }]);
  const c = new Conversation({ agent, store, models: [model] });
  await c.start();
  const ac = new AbortController();
  const turn = c.reply('How much is the audit?', { signal: ac.signal });
  const first = turn.next(); // the turn starts: the caller's words are recorded, the documents searched…
  ac.abort(); // …and the caller hangs up before the model is asked
  const outputs = [await first];
  for (let n = await turn.next(); !n.done; n = await turn.next()) outputs.push(n);
  assert.equal(model.calls.length, 0, 'the model was not asked');
  assert.ok(!outputs.some((o) => !o.done && o.value.type === 'text' && o.value.text.includes('nobody')), JSON.stringify(outputs));
});
