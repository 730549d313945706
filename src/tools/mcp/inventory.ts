import type { McpToolConfig } from '../../agent/schema.ts';
import { errorText } from '../../util/error-text.ts';
import { timeoutSignal } from '../../util/timeout-signal.ts';
import type { McpServers } from './servers.ts';
import { mcpToolName } from './tools.ts';

/** What one MCP server offers, seen from the agent file: for `parley check`. */
export type McpInventory =
  | { server: string; reached: true; offered: { name: string; description: string }[]; allowed: string[]; missing: string[]; clashes: string[] }
  | { server: string; reached: false; error: string };

/**
 * Asks each server for its tools and compares them with the file: allowed tools the server does
 * not offer (a typo, or a tool it dropped) and allowed tools whose model-facing name another
 * tool already has (`taken`: the built-ins and webhooks).
 */
export async function mcpInventory(servers: McpToolConfig[], source: McpServers, taken: Iterable<string>): Promise<McpInventory[]> {
  const names = new Set(taken);
  const out: McpInventory[] = [];
  for (const cfg of servers) {
    try {
      const tools = await source.tools(cfg, timeoutSignal(cfg.connectTimeoutMs + 1000));
      const offered = new Set(tools.map((t) => t.name));
      const clashes: string[] = [];
      for (const a of cfg.allow.filter((a) => offered.has(a))) {
        const exposed = mcpToolName(cfg.name, a);
        if (names.has(exposed)) clashes.push(exposed);
        names.add(exposed);
      }
      out.push({
        server: cfg.name,
        reached: true,
        offered: tools.map((t) => ({ name: t.name, description: (t.description ?? '').split('\n')[0]! })),
        allowed: cfg.allow.filter((a) => offered.has(a)),
        missing: cfg.allow.filter((a) => !offered.has(a)),
        clashes,
      });
    } catch (e) {
      out.push({ server: cfg.name, reached: false, error: errorText(e) });
    }
  }
  return out;
}
