import { relative } from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { agentJsonSchema } from '../agent/json-schema.ts';
import { loadAgent } from '../agent/load.ts';
import { AgentLoadError, formatProblem, type AgentProblem } from '../agent/problems.ts';
import { ingestKnowledge } from '../knowledge/index.ts';
import { agentEmbedder } from '../llm/agent-models.ts';
import { reportJson } from '../scenarios/junit.ts';
import { loadScenarios, testsDir } from '../scenarios/load.ts';
import { patternProblem } from '../scenarios/match.ts';
import { strayScenarioFiles } from '../scenarios/stray.ts';
import { formatReplay } from '../scenarios/diff.ts';
import { formatOutcome, formatSummary, totals, type Style } from '../scenarios/report.ts';
import { openStore } from '../store/store.ts';
import { toolsForListing } from '../tools/registry.ts';
import { errorText } from '../util/error-text.ts';
import { checkAgent, toolSummary, unsetKeyLines } from './check.ts';
import { listConversations, showConversation } from './conversations.ts';
import { isEmptyFolder, planInit, writeAgentFolder } from './init.ts';
import { explainQuestion } from './knowledge.ts';
import { PathRefused, resolveInside } from './mcp-paths.ts';
import { replayConversation, ReplayError } from './replay.ts';
import { knowledgeSpec } from './runtime.ts';
import { runAgentScenarios } from './test.ts';
import { toolViews } from './tools.ts';

// The tools of `parley mcp`. Each is a CLI command's own function (check.ts, test.ts, …) with a
// zod input schema, answering structured JSON and a short text summary. Whatever goes wrong in
// one call comes back as an error result with the reason; the server keeps serving.

const PLAIN: Style = { bold: (s) => s, dim: (s) => s, red: (s) => s, green: (s) => s };

/** A tool's failure the client should read as such: its text is the whole answer. */
class ToolRefusal extends Error {
  override name = 'ToolRefusal';
  readonly data: Record<string, unknown>;
  constructor(message: string, data: Record<string, unknown> = {}) {
    super(message);
    this.data = data;
  }
}

const ok = (summary: string, data: Record<string, unknown>): CallToolResult => ({
  content: [
    { type: 'text', text: summary },
    { type: 'text', text: JSON.stringify(data) },
  ],
  structuredContent: data,
});

const refused = (message: string, data: Record<string, unknown> = {}): CallToolResult => ({
  isError: true,
  content: [{ type: 'text', text: message }],
  structuredContent: { error: message, ...data },
});

/** The MCP server for the folder `root`: every path a tool receives is resolved in it and may not leave it. */
export function createParleyMcpServer(root: string): McpServer {
  const server = new McpServer(
    { name: 'parley', version: '0.1.0' },
    {
      instructions:
        'Build and iterate on Parley voice agents (agent folders holding agent.yaml). After every edit call check; run test for the scenarios in tests/; knowledge_explain shows whether a caller question is answered, declined or guarded; init writes a new agent from planning answers (show the owner the plan with dryRun first). Paths are relative to the folder this server runs in.',
    },
  );
  const inside = (path: string, what: string) => resolveInside(root, path, what);
  const shown = (p: AgentProblem): AgentProblem => ({ ...p, file: relative(root, p.file) || p.file });
  const problemsResult = (problems: AgentProblem[], what: string, also: { text: string; data: Record<string, unknown> } = { text: '', data: {} }) =>
    refused(`${problems.length} problem${problems.length === 1 ? '' : 's'} in ${what}:\n${problems.map((p) => formatProblem(shown(p))).join('\n')}${also.text}`, { problems: problems.map(shown), ...also.data });

  /** Registers a tool whose failures become error results: a refused path, a broken agent, a cancelled run. */
  const tool = <S extends z.ZodRawShape>(name: string, description: string, input: S, run: (args: z.infer<z.ZodObject<S>>, signal: AbortSignal) => Promise<CallToolResult>) =>
    server.registerTool(name, { description, inputSchema: input }, (async (args: z.infer<z.ZodObject<S>>, extra: { signal: AbortSignal }) => {
      try {
        const r = await run(args, extra.signal);
        return extra.signal.aborted ? refused(`${name} was cancelled`) : r;
      } catch (e) {
        if (extra.signal.aborted) return refused(`${name} was cancelled`);
        if (e instanceof AgentLoadError) return problemsResult(e.problems, 'the agent folder');
        if (e instanceof PathRefused || e instanceof ReplayError) return refused(e.message);
        if (e instanceof ToolRefusal) return refused(e.message, e.data);
        return refused(`${name} failed: ${errorText(e)}`);
      }
    }) as never);

  const dir = z.string().min(1).describe('The agent folder (holding agent.yaml), relative to the served folder.');

  tool('check', 'Validate an agent folder like `parley check`: every problem with file, line, column and field; keys not set here; what its MCP servers offer.', { dir, offline: z.boolean().optional().describe('Do not connect to the agent’s MCP servers.') }, async (a) => {
    const report = await checkAgent(inside(a.dir, 'dir'), { offline: a.offline });
    const problems = report.problems.map(shown);
    const data = { ...report, problems, agent: report.agent && { ...report.agent, file: relative(root, report.agent.file) } };
    const warn = unsetKeyLines(report.unsetKeys).map((line) => `\n${line}`).join('');
    if (!report.ok) return ok(`${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map(formatProblem).join('\n')}${warn}`, data);
    return ok(`ok: agent "${report.agent!.name}" (version ${report.agent!.version}), ${toolSummary(report.agent!)}, model ${report.agent!.model}${warn}`, data);
  });

  tool('schema', 'The JSON Schema of agent.yaml (what `parley schema` prints), or of one top-level block of it.', { block: z.string().optional().describe('A top-level field of agent.yaml, e.g. limits, knowledge, tools.') }, async (a) => {
    const schema = agentJsonSchema() as { properties: Record<string, unknown> };
    if (a.block === undefined) return ok(`the JSON Schema of agent.yaml; blocks: ${Object.keys(schema.properties).join(', ')}`, { schema });
    const block = Object.hasOwn(schema.properties, a.block) ? schema.properties[a.block] : undefined;
    if (!block) throw new ToolRefusal(`agent.yaml has no block "${a.block}"; its blocks are ${Object.keys(schema.properties).join(', ')}`);
    return ok(`the JSON Schema of agent.yaml's ${a.block}`, { block: a.block, schema: block });
  });

  tool(
    'test',
    "Run the scenarios in an agent's tests/ folder like `parley test` (text mode): each scenario's status, and every failed expectation with file, line and field.",
    { dir, filter: z.string().optional().describe('Only scenarios whose name or file name contains this (or matches /regex/).'), repeat: z.number().int().min(1).max(20).optional().describe('Runs per scenario (default 1).') },
    async (a, signal) => {
      const filterProblem = a.filter === undefined ? undefined : patternProblem(a.filter);
      if (filterProblem) throw new ToolRefusal(`filter: ${filterProblem}`);
      const agent = await loadAgent(inside(a.dir, 'dir'));
      const { scenarios, problems, otherMode } = await loadScenarios(agent, { filter: a.filter, mode: 'text' });
      // In every answer, as `parley test` says them first: a scenario that never ran must not look like one that passed.
      // The agent's file relative to the served folder, so the files and reasons name paths the client gave.
      const notRun = await strayScenarioFiles({ ...agent, file: relative(root, agent.file) });
      const notRunText = notRun.map((s) => `\nnot run: ${s.file} — ${s.reason}`).join('');
      if (problems.length) return problemsResult(problems, 'the scenario files', { text: notRunText, data: { notRun } });
      if (!scenarios.length) throw new ToolRefusal(`${a.filter ? `no scenario in ${relative(root, testsDir(agent))} matches "${a.filter}"` : `no text-mode scenarios in ${relative(root, testsDir(agent))}${otherMode.length ? ` (${otherMode.length} voice only)` : ''}`}${notRunText}`, { notRun });
      const report = await runAgentScenarios(agent, scenarios, { repeat: a.repeat ?? 1, signal });
      const t = totals(report);
      const lines = report.outcomes.flatMap((o) => formatOutcome(o, report.repeat));
      return ok(`${formatSummary(report)}\n${lines.join('\n')}${notRunText}`, { passed: t.failed === 0 && t.passed > 0, ...reportJson(report), notRun });
    },
  );

  tool(
    'knowledge_explain',
    'Whether a caller question would be answered from the documents, declined as not in them, or turned away as a guarded topic, and why (like `parley knowledge explain`); the documents are indexed first.',
    {
      dir,
      question: z.string().min(1).max(2000).describe("The caller's words, as a recogniser writes them."),
      after: z.array(z.string().max(2000)).max(20).optional().describe('Earlier caller turns, oldest first, for a follow-up.'),
      limit: z.number().int().min(1).max(20).optional().describe('How many passages (default knowledge.topK).'),
    },
    async (a, signal) => {
      const agent = await loadAgent(inside(a.dir, 'dir'));
      const store = await openStore();
      try {
        const { embedder } = agentEmbedder(agent);
        const ingest = await ingestKnowledge(store, knowledgeSpec(agent), { embedder, signal });
        const x = await explainQuestion(agent, store, a.question, { after: a.after, limit: a.limit });
        const hits = x.hits.map((h) => ({ source: h.source, heading: h.heading, score: h.score, text: h.text.length > 600 ? `${h.text.slice(0, 600)}…` : h.text }));
        const unread = ingest.failed.map((f) => ({ source: f.source, message: f.message }));
        return ok(`${x.verdict}: ${x.why}`, { verdict: x.verdict, why: x.why, decision: x.decision, hits, ...(unread.length ? { unreadSources: unread } : {}) });
      } finally {
        await store.close();
      }
    },
  );

  tool('tools', 'The tools the model gets in a conversation with this agent (what `parley tools` lists): names, descriptions and argument schemas.', { dir }, async (a) => {
    const agent = await loadAgent(inside(a.dir, 'dir'));
    const views = await toolViews(toolsForListing(agent, { withCalendar: Boolean(agent.config.calendar) }));
    return ok(`${views.length} tools: ${views.map((v) => v.name).join(', ')}`, { tools: views });
  });

  tool(
    'conversations_list',
    "Recorded conversations in this folder's store, newest first (like `parley conversations list`).",
    { agent: z.string().optional().describe('Only this agent.'), limit: z.number().int().min(1).max(500).optional().describe('How many (default 50).') },
    async (a) => {
      const rows = await listConversations({ agent: a.agent, limit: a.limit });
      return ok(rows.length ? rows.map((r) => `${r.id.slice(0, 8)} ${r.startedAt} ${r.agent} ${r.channel} ${r.turns} turns${r.endReason ? ` ${r.endReason}` : ''}`).join('\n') : 'no conversations yet', { conversations: rows });
    },
  );

  tool('conversation_show', 'One recorded conversation: turns, knowledge used, tool calls with request and raw response, lead, bookings, errors, analysis.', { id: z.string().min(1).describe('Conversation id, or a unique prefix of it.') }, async (a) => {
    const rec = await showConversation(a.id);
    if (!rec) throw new ToolRefusal(`no single conversation matches "${a.id}" (see conversations_list)`);
    return ok(`conversation ${rec.id} with ${rec.agent}: ${rec.turns.length} turns, ${rec.toolCalls.length} tool calls${rec.endReason ? `, ended: ${rec.endReason}` : ''}`, { conversation: rec });
  });

  tool(
    'replay',
    "Say a recorded conversation's caller turns again to the agent as it is now and show what changed (like `parley replay`); webhooks and the calendar answer as recorded.",
    { id: z.string().min(1).describe('Conversation id, or a unique prefix of it.'), agentDir: z.string().min(1).optional().describe('The agent folder; default examples/<agent>, ./<agent> or this folder.') },
    async (a, signal) => {
      const diff = await replayConversation(a.id, { agentDir: a.agentDir === undefined ? undefined : inside(a.agentDir, 'agentDir'), signal });
      return ok(`${formatReplay(diff, PLAIN)}`, { ...diff });
    },
  );

  const writing = new Set<string>();
  tool(
    'init',
    'Write a new agent folder from planning answers, like `parley init --answers` (the answers use agent.yaml’s names; AGENTS.md lists them). The folder must not exist or be empty. With dryRun, only the plan is returned: show it to the owner first.',
    {
      dir: z.string().min(1).describe('The folder to write, relative to the served folder.'),
      answers: z.record(z.string(), z.unknown()).describe('The answers object: template, business, and agent.yaml blocks (persona, voice, limits…).'),
      dryRun: z.boolean().optional().describe('Return the plan without writing anything.'),
    },
    async (a) => {
      const target = inside(a.dir, 'dir');
      const documents = Array.isArray(a.answers.documents) ? a.answers.documents : [];
      documents.forEach((d, i) => {
        if (typeof d === 'string' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(d)) inside(d, `documents.${i}`);
      });
      const taken = () => (isEmptyFolder(target) ? undefined : `${relative(root, target)} exists and is not empty; choose another folder`);
      if (taken()) throw new ToolRefusal(taken()!);
      const r = planInit(JSON.stringify(a.answers, null, 2), 'answers', { cwd: root, dir: target });
      const warnings = r.warnings.map((w) => `${w.field}: ${w.message}`);
      if (!r.plan) throw new ToolRefusal(`${r.problems.length} problem${r.problems.length === 1 ? '' : 's'} in the answers; nothing was written:\n${r.problems.map((p) => `${p.field}: ${p.message}`).join('\n')}`, { problems: r.problems.map((p) => ({ field: p.field, message: p.message })), warnings });
      const data = { dir: relative(root, target), written: false, plan: r.summary, files: r.files.map((f) => f.path), env: r.plan.env, warnings };
      if (a.dryRun) return ok(`The plan (nothing written):\n${r.summary}`, data);
      // Two calls for one folder at once: the second is refused, not interleaved.
      if (writing.has(target)) throw new ToolRefusal(`${relative(root, target)} is being written by another init call`);
      writing.add(target);
      try {
        if (taken()) throw new ToolRefusal(taken()!);
        await writeAgentFolder(r.plan, r.files);
      } finally {
        writing.delete(target);
      }
      return ok(`Wrote ${r.files.length} files to ${data.dir}. Next: check, then test.`, { ...data, written: true });
    },
  );

  return server;
}

/** Serves `root` over stdin/stdout until the client closes stdin. */
export async function startStdioServer(root: string): Promise<void> {
  const server = createParleyMcpServer(root);
  await server.connect(new StdioServerTransport());
  // The client closing its end is the end of the session: a stdio server serves no one else.
  process.stdin.once('end', () => void server.close().finally(() => process.exit(0)));
}
