import type { McpToolConfig } from '../../agent/schema.ts';
import type { McpCallResult, McpConnection, McpToolInfo } from './connection.ts';

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

  async tools(server: McpToolConfig, signal: AbortSignal): Promise<McpToolInfo[]> {
    return (await this.#connection(server)).tools(signal);
  }

  async call(server: McpToolConfig, name: string, args: Record<string, unknown>, signal: AbortSignal): Promise<McpCallResult> {
    return (await this.#connection(server)).call(name, args, signal);
  }

  /** Closes every connection (stops stdio servers); the pool can be used again afterwards. */
  async close(): Promise<void> {
    const all = [...this.#connections.values()];
    this.#connections.clear();
    await Promise.all(all.map((c) => c.close()));
  }

  async #connection(server: McpToolConfig): Promise<McpConnection> {
    // Keyed by what reaches the server, not by agent: two agents naming the same server share it.
    const key = JSON.stringify([server.url, server.headers, server.command, server.args, server.env, server.connectTimeoutMs, server.timeoutMs, server.retries]);
    let c = this.#connections.get(key);
    if (!c) {
      // The SDK is loaded on first use: agents without MCP servers never pay for it.
      const { McpConnection } = await import('./connection.ts');
      c = this.#connections.get(key) ?? new McpConnection(server, this.#env);
      this.#connections.set(key, c);
    }
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
