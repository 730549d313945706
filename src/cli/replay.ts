import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { replayDiff, formatReplay, type ReplayDiff } from '../scenarios/diff.ts';
import { scenarioFromRecord } from '../scenarios/from-record.ts';
import { scenarioFromData } from '../scenarios/load.ts';
import { scenarioModels } from '../scenarios/models.ts';
import { terminalStyle } from '../scenarios/report.ts';
import { runScenario } from '../scenarios/run.ts';
import { Records } from '../store/records.ts';
import { openStore } from '../store/store.ts';
import { exitOnAgentError } from './output.ts';
import { openAgentRuntime } from './runtime.ts';

/**
 * `parley replay <id>`: says the caller's turns of a recorded conversation again to the agent
 * as it is now and shows what changed. Webhooks answer as they did in the recording and the
 * calendar offers the recorded slots, so a replay never calls a CRM or books a real call.
 */
export function command(): Command {
  return new Command('replay')
    .description('re-run the caller side of a recorded conversation against the agent as it is now and show what changed')
    .argument('<conversation-id>', 'conversation id (a unique prefix is enough)')
    .option('--agent-dir <dir>', 'the agent folder (default: examples/<agent>, ./<agent>, or the current folder when it is named like the agent)')
    .option('--json', 'print the comparison as JSON')
    .action(async (id: string, o: { agentDir?: string; json?: boolean }) => {
      const ac = new AbortController();
      process.once('SIGINT', () => ac.abort());
      const diff = await replayConversation(id, { agentDir: o.agentDir, signal: ac.signal }).catch((e: unknown) => {
        if (e instanceof ReplayError) fail(e.message);
        return exitOnAgentError(e);
      });
      console.log(o.json ? JSON.stringify(diff, null, 2) : formatReplay(diff, terminalStyle()));
    });
}

/** Why a conversation cannot be replayed: no such record, nothing to replay, no agent folder for it. */
export class ReplayError extends Error {
  override name = 'ReplayError';
}

/**
 * Says the caller's turns of a recorded conversation again to the agent in `agentDir` (by
 * default found from the agent's name) and returns what changed. Throws ReplayError, or the
 * loader's AgentLoadError when the folder is broken.
 */
export async function replayConversation(id: string, o: { agentDir?: string; signal: AbortSignal; log?: (line: string) => void }): Promise<ReplayDiff> {
  const records = await openStore();
  const rec = await new Records(records.db).get(id).finally(() => records.close());
  if (!rec) throw new ReplayError(`no single conversation matches "${id}" (see \`parley conversations list\`)`);
  if (!rec.turns.some((t) => t.role === 'caller')) throw new ReplayError(`conversation ${rec.id.slice(0, 8)} has no caller turns to replay`);
  const dir = o.agentDir ?? agentFolder(rec.agent);
  if (!dir) throw new ReplayError(`cannot find the folder of agent "${rec.agent}" (looked in examples/${rec.agent}, ./${rec.agent} and the current folder); pass --agent-dir`);

  const rt = await openAgentRuntime(dir, { log: o.log });
  try {
    if (rt.agent.name !== rec.agent) throw new ReplayError(`${dir} holds agent "${rt.agent.name}", but the conversation was with "${rec.agent}"`);
    const scenario = scenarioFromData(scenarioFromRecord(rec, rt.agent, { purpose: 'replay' }), `replay:${rec.id}`, rt.agent);
    // The replay runs on the recording's clock, so "tomorrow" and the recorded slots mean what they meant then.
    const offset = Date.parse(rec.startedAt) - Date.now();
    const run = await runScenario(scenario, {
      agent: rt.agent,
      models: scenarioModels(async () => rt.models),
      store: rt.store,
      caller: `replay:${rec.id}`,
      clock: () => new Date(Date.now() + offset),
      signal: o.signal,
    });
    return replayDiff(rec, run, rt.agent.version);
  } finally {
    await rt.store.close();
  }
}

/** examples/<agent>, ./<agent>, or the current folder when it is named like the agent — the first holding agent.yaml. */
function agentFolder(agent: string): string | undefined {
  const candidates = [join('examples', agent), agent, ...(basename(resolve('.')) === agent ? ['.'] : [])];
  return candidates.find((d) => existsSync(join(d, 'agent.yaml')) || existsSync(join(d, 'agent.yml')));
}

function fail(message: string): never {
  console.error(`parley replay: ${message}`);
  process.exit(1);
}
