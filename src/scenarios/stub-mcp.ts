import type { Agent } from '../agent/load.ts';
import type { McpToolConfig } from '../agent/schema.ts';
import type { McpToolInfo } from '../tools/mcp/connection.ts';
import type { McpServers } from '../tools/mcp/servers.ts';
import { mcpToolName } from '../tools/mcp/tools.ts';
import type { WebhookAnswerData } from './format.ts';
import type { UnstubbedRequest } from './stub-webhooks.ts';

// MCP servers in a scenario: no server is started or reached. Each allowed tool is offered with
// an open input schema (the stub has no server to ask for the real one), and a call is answered
// from `stubs.tools.<server>_<tool>` like a webhook: the body as the result's text (or its
// structured content when it is an object), a status of 400 or more as a result marked isError.

/** All tool names the agent's MCP servers may offer the model in a scenario: `<server>_<tool>` of each allowed tool. */
export function mcpStubNames(agent: Agent): string[] {
  return agent.config.tools.flatMap((t) => (t.type === 'mcp' ? t.allow.map((a) => mcpToolName(t.name, a)) : []));
}

/** MCP servers answering from the scenario's stubs; a call with no stub is refused and noted in `unstubbed`. */
export function stubMcp(answers: Record<string, WebhookAnswerData[]>, unstubbed: UnstubbedRequest[]): McpServers {
  const used = new Map<string, number>();
  return {
    async tools(server: McpToolConfig): Promise<McpToolInfo[]> {
      return server.allow.map((name) => ({ name, description: server.descriptions[name] ?? name, inputSchema: { type: 'object' as const } }));
    },
    async call(server, name, _args, signal) {
      signal.throwIfAborted();
      const tool = mcpToolName(server.name, name);
      const list = answers[tool];
      if (!list) {
        unstubbed.push({ tool, method: 'tools/call', host: server.url ?? server.command ?? server.name });
        throw new Error(`no stub for MCP tool "${tool}": a scenario never reaches the network (add stubs.tools.${tool})`);
      }
      const n = used.get(tool) ?? 0;
      used.set(tool, n + 1);
      const a = list[Math.min(n, list.length - 1)]!;
      const text = a.body === undefined ? '' : typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
      const structured = a.body && typeof a.body === 'object' && !Array.isArray(a.body) ? { structuredContent: a.body as Record<string, unknown> } : {};
      return { result: { content: [{ type: 'text', text }], ...structured, ...(a.status >= 400 ? { isError: true } : {}) }, attempts: 1 };
    },
  };
}
