import { createHash } from 'node:crypto';
import { jsonSchema } from 'ai';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { McpToolConfig } from '../../agent/schema.ts';
import { clip, MAX_RECORDED_CHARS, MAX_RESULT_CHARS } from '../clip.ts';
import type { ToolContext, ToolOutcome } from '../context.ts';
import type { ToolSpec } from '../traced.ts';
import { errorText } from '../../util/error-text.ts';
import type { McpToolInfo } from './connection.ts';
import type { McpServers } from './servers.ts';

// An MCP server's tools as the model sees them: only those the file allows, named
// <server>_<tool> so they cannot pose as a built-in or another server's tool, with the file's
// description where it gives one. A call is recorded like a webhook's: the JSON-RPC request as
// sent, the raw result, and what the model was given (clipped: a server can answer megabytes).

const MAX_DESCRIPTION_CHARS = 1000;

/** The name the model calls an MCP tool by: `<server>_<tool>`, in the characters model APIs accept, at most 64. */
export function mcpToolName(server: string, tool: string): string {
  const name = `${server}_${tool}`.replace(/[^a-zA-Z0-9_-]/g, '_');
  if (name.length <= 64) return name;
  // Two long names sharing a 64-character start stay apart by a hash of the whole.
  return `${name.slice(0, 55)}_${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}

/** The allowed tools of one server, as tool specs; the server's other tools never reach the model. */
export function mcpToolSpecs(ctx: ToolContext, servers: McpServers, cfg: McpToolConfig, offered: McpToolInfo[]): ToolSpec<Record<string, unknown>>[] {
  const allowed = new Set(cfg.allow);
  return offered
    .filter((t) => allowed.has(t.name))
    .map((t) => ({
      name: mcpToolName(cfg.name, t.name),
      // A server's own description is clipped: it is sent with every model call.
      description: cfg.descriptions[t.name] ?? (t.description ?? t.title ?? t.name).slice(0, MAX_DESCRIPTION_CHARS),
      inputSchema: jsonSchema<Record<string, unknown>>({ ...t.inputSchema, type: 'object' } as never),
      run: (input, signal) => callMcpTool(servers, cfg, t.name, input ?? {}, signal),
    }));
}

async function callMcpTool(servers: McpServers, cfg: McpToolConfig, tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<ToolOutcome> {
  // The record names the server as the file does: a `${NAME}` in its URL or headers stays a name.
  const transport = cfg.url !== undefined ? { url: cfg.url, ...(Object.keys(cfg.headers).length ? { headers: cfg.headers } : {}) } : { command: [cfg.command, ...cfg.args].join(' ') };
  const request = { server: cfg.name, ...transport, method: 'tools/call', params: { name: tool, arguments: args } };
  try {
    const { result, attempts } = await servers.call(cfg, tool, args, signal);
    const response = { result: clip(result, MAX_RECORDED_CHARS), attempts };
    const content = resultForModel(result);
    if (result.isError) return { request, response, result: { error: `the tool reported an error: ${clip(content, MAX_RESULT_CHARS)}` }, error: `tool error: ${String(clip(typeof content === 'string' ? content : JSON.stringify(content), 200))}` };
    return { request, response, result: clip(content, MAX_RESULT_CHARS) };
  } catch (e) {
    if (signal.aborted) throw e;
    const message = e instanceof Error && e.name === 'TimeoutError' ? `no answer within ${cfg.timeoutMs} ms` : errorText(e);
    return { request, response: { error: message }, result: { error: `the tool could not be reached (${message}). Apologise briefly and offer another way forward.` }, error: message };
  }
}

/** What the model reads of a result: the structured content if any, else the text parts; other media by kind and size. */
function resultForModel(result: CallToolResult): unknown {
  if (result.structuredContent !== undefined) return result.structuredContent;
  const parts = (result.content ?? []).map((c) => {
    if (c.type === 'text') return c.text;
    if (c.type === 'resource') return 'text' in c.resource ? String(c.resource.text) : `[${c.resource.mimeType ?? 'binary'} resource ${c.resource.uri}]`;
    if (c.type === 'resource_link') return `[link: ${c.uri}]`;
    return `[${c.type}${'mimeType' in c ? ` ${c.mimeType}` : ''}${'data' in c ? `, ${Math.round((String(c.data).length * 3) / 4)} bytes` : ''}]`;
  });
  return parts.join('\n');
}
