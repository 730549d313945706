import type { McpToolConfig } from '../../agent/schema.ts';
import { McpConnection, type McpCallResult, type McpToolInfo } from './connection.ts';

/** What MCP tools need from their servers: the tool list and a call. Scenarios answer it with stubs. */
export interface McpServers {
  tools(server: McpToolConfig, signal: AbortSignal): Promise<McpToolInfo[]>;
  call(server: McpToolConfig, name: string, args: Record<string, unknown>, signal: AbortSignal): Promise<McpCallResult>;
}

/** One connection per server per process, reused by every conversation; `close` on shutdown. */
export class McpPool implements McpServers {
  #connections = new Map<string, McpConnection>();
  #env: NodeJS.ProcessEnv;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.#env = env;
  }

  tools(server: McpToolConfig, signal: AbortSignal): Promise<McpToolInfo[]> {
    return this.#connection(server).tools(signal);
  }

  call(server: McpToolConfig, name: string, args: Record<string, unknown>, signal: AbortSignal): Promise<McpCallResult> {
    return this.#connection(server).call(name, args, signal);
  }

  /** Closes every connection (stops stdio servers); the pool can be used again afterwards. */
  async close(): Promise<void> {
    const all = [...this.#connections.values()];
    this.#connections.clear();
    await Promise.all(all.map((c) => c.close()));
  }

  #connection(server: McpToolConfig): McpConnection {
    // Keyed by what reaches the server, not by agent: two agents naming the same server share it.
    const key = JSON.stringify([server.url, server.headers, server.command, server.args, server.env, server.connectTimeoutMs, server.timeoutMs, server.retries]);
    let c = this.#connections.get(key);
    if (!c) this.#connections.set(key, (c = new McpConnection(server, this.#env)));
    return c;
  }
}

let shared: McpPool | undefined;

/** The process's pool, made on first use. */
export function mcpPool(): McpPool {
  return (shared ??= new McpPool());
}

/** Closes the process's pool, if one was made (server shutdown, end of a CLI command). */
export async function closeMcpPool(): Promise<void> {
  await shared?.close();
}
