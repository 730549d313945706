import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadAgent } from '../../src/agent/load.ts';
import { runAgentScenarios } from '../../src/cli/test.ts';
import { loadScenarios } from '../../src/scenarios/load.ts';
import { EXAMPLE, tempDir } from '../helpers/cli.ts';

// `parley test` and the MCP server's `test` tool share runAgentScenarios; a cancelled request
// (Ctrl+C, or an MCP client's notifications/cancelled) must stop it, not run on unseen.

describe('runAgentScenarios and its abort signal', () => {
  it('runs no further scenario once the signal aborts, and runs none when it is already aborted', async () => {
    process.env.PARLEY_DATABASE_URL = `file:${join(tempDir(), 'store.db')}`;
    const agent = await loadAgent(EXAMPLE);
    const { scenarios } = await loadScenarios(agent, { mode: 'text' });
    assert.ok(scenarios.length >= 3, `the example has ${scenarios.length} text scenarios`);

    const ac = new AbortController();
    const heard: string[] = [];
    const report = await runAgentScenarios(agent, scenarios, { repeat: 2, signal: ac.signal, onOutcome: (o) => (heard.push(o.name), ac.abort()) });
    assert.equal(report.outcomes.length, 1, 'stopped after the scenario during which it was aborted');
    assert.deepEqual(heard, [scenarios[0]!.name]);
    assert.equal(report.outcomes[0]!.runs.length, 2, 'that scenario’s runs had finished');

    const none = await runAgentScenarios(agent, scenarios, { signal: AbortSignal.abort() }).catch((e: Error) => e);
    if (none instanceof Error) assert.match(none.name, /Abort/);
    else assert.equal(none.outcomes.length, 0);
  });
});
