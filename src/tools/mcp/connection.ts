import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError, ToolListChangedNotificationSchema, type CallToolResult, type Tool as McpToolInfo } from '@modelcontextprotocol/sdk/types.js';
import type { McpToolConfig } from '../../agent/schema.ts';
import { resolveSecrets } from '../../agent/secrets.ts';
import { errorText } from '../../util/error-text.ts';
import { timeoutSignal } from '../../util/timeout-signal.ts';

// One MCP server as this process sees it: connected once, its tool list cached, shared by every
// conversation of every agent that declares it. A server that fails to connect is left alone for
// a while, so each turn does not wait out the connect timeout again; a connection that drops is
// rebuilt once, on the call that found it dropped.

export type { McpToolInfo };

/** After a failed connect, how long the server counts as down before it is tried again. */
const DOWN_FOR_MS = 15_000;
/** The stdio server's last words on stderr, kept for the error message. */
const STDERR_KEPT = 2000;

/** A tool call's raw answer and how many times it was sent. */
export interface McpCallResult {
  result: CallToolResult;
  attempts: number;
}

type State =
  | { kind: 'idle' }
  | { kind: 'connecting'; ready: Promise<Client> }
  | { kind: 'ready'; client: Client }
  | { kind: 'down'; until: number; error: string };

/** The process's single connection to one MCP server. */
export class McpConnection {
  readonly config: McpToolConfig;
  #env: NodeJS.ProcessEnv;
  #state: State = { kind: 'idle' };
  /** The last tool list the server gave; kept while it is down so its tools still fail aloud. */
  #tools: McpToolInfo[] | undefined;
  #stderr = '';
  #closed = false;

  constructor(config: McpToolConfig, env: NodeJS.ProcessEnv) {
    this.config = config;
    this.#env = env;
  }

  /** The server's tools (all of them; the caller applies the allow-list). */
  async tools(signal: AbortSignal): Promise<McpToolInfo[]> {
    if (this.#tools) return this.#tools;
    const client = await this.#client(signal);
    return (this.#tools ??= await this.#listAll(client, signal));
  }

  /** Calls one tool, bounded by `timeoutMs`; a dropped connection is rebuilt once and the call resent. */
  async call(name: string, args: Record<string, unknown>, signal: AbortSignal): Promise<McpCallResult> {
    let attempts = 0;
    let reconnected = false;
    let timeouts = 0;
    for (;;) {
      attempts++;
      const client = await this.#client(signal);
      const bounded = AbortSignal.any([signal, timeoutSignal(this.config.timeoutMs)]);
      try {
        // The SDK's own timer is a backstop: ours fires first and says how long was waited.
        const result = (await client.callTool({ name, arguments: args }, undefined, { signal: bounded, timeout: this.config.timeoutMs + 1000 })) as CallToolResult;
        return { result, attempts };
      } catch (e) {
        if (signal.aborted) throw e;
        if (bounded.aborted) {
          if (timeouts++ < this.config.retries) continue;
          throw bounded.reason;
        }
        if (!reconnected && connectionLost(e)) {
          reconnected = true;
          this.#drop(client);
          continue;
        }
        throw e;
      }
    }
  }

  /** Closes the connection (the child process, for stdio); later use reconnects unless `closeForGood`. */
  async close(closeForGood = true): Promise<void> {
    this.#closed = closeForGood;
    const state = this.#state;
    this.#state = { kind: 'idle' };
    const client = state.kind === 'ready' ? state.client : state.kind === 'connecting' ? await state.ready.catch(() => undefined) : undefined;
    await client?.close().catch(() => {});
  }

  async #client(signal: AbortSignal): Promise<Client> {
    if (this.#closed) throw new Error('the MCP connections were closed (shutting down)');
    const state = this.#state;
    if (state.kind === 'ready') return state.client;
    if (state.kind === 'down' && Date.now() < state.until) throw new Error(`MCP server "${this.config.name}" is unreachable (${state.error}); tried again after a pause`);
    if (state.kind !== 'connecting') {
      const ready = this.#connect();
      this.#state = { kind: 'connecting', ready };
      ready.then(
        (client) => {
          if (this.#state.kind === 'connecting' && this.#state.ready === ready) this.#state = { kind: 'ready', client };
        },
        (e: unknown) => {
          if (this.#state.kind === 'connecting' && this.#state.ready === ready) this.#state = { kind: 'down', until: Date.now() + DOWN_FOR_MS, error: errorText(e) };
        },
      );
    }
    const { ready } = this.#state as Extract<State, { kind: 'connecting' }>;
    // One caller giving up (its turn was cut) does not cancel the connect others wait for.
    return await Promise.race([ready, abortion(signal)]);
  }

  async #connect(): Promise<Client> {
    const client = new Client({ name: 'parley', version: '0.1.0' });
    const transport = this.#transport();
    const limit = timeoutSignal(this.config.connectTimeoutMs);
    try {
      await client.connect(transport, { signal: limit, timeout: this.config.connectTimeoutMs + 1000 });
      // Listing belongs to connecting: a server that answers initialize but hangs on tools/list is down too.
      this.#tools = await this.#listAll(client, limit);
    } catch (e) {
      // Not awaited: a stdio server that ignores its closed stdin takes seconds to be killed,
      // and the caller is waiting for this turn.
      void client.close().catch(() => {});
      const why = limit.aborted ? `no answer within ${this.config.connectTimeoutMs} ms` : errorText(e);
      const stderr = this.#stderr.trim();
      throw new Error(`could not connect to MCP server "${this.config.name}": ${why}${stderr ? ` (it said: ${stderr.slice(-300)})` : ''}`);
    }
    client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
      this.#tools = undefined;
    });
    client.onclose = () => {
      if (this.#state.kind === 'ready' && this.#state.client === client) this.#state = { kind: 'idle' };
    };
    return client;
  }

  #transport(): Transport {
    const where = `tools.${this.config.name}`;
    if (this.config.url !== undefined) {
      const headers = Object.fromEntries(Object.entries(this.config.headers).map(([k, v]) => [k, resolveSecrets(v, `${where}.headers.${k}`, this.#env)]));
      return new StreamableHTTPClientTransport(new URL(resolveSecrets(this.config.url, `${where}.url`, this.#env)), { requestInit: { headers } });
    }
    // Only what the file declares: the server process never sees the provider keys in our environment.
    const env = { ...getDefaultEnvironment(), ...Object.fromEntries(Object.entries(this.config.env).map(([k, v]) => [k, resolveSecrets(v, `${where}.env.${k}`, this.#env)])) };
    const transport = new StdioClientTransport({ command: this.config.command!, args: this.config.args, env, stderr: 'pipe' });
    this.#stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString('utf8')).slice(-STDERR_KEPT);
    });
    return transport;
  }

  async #listAll(client: Client, signal: AbortSignal): Promise<McpToolInfo[]> {
    const tools: McpToolInfo[] = [];
    let cursor: string | undefined;
    // A server paging forever is cut by the signal; 50 pages is more than any real server sends.
    for (let page = 0; page < 50; page++) {
      const res = await client.listTools(cursor ? { cursor } : undefined, { signal, timeout: this.config.connectTimeoutMs + 1000 });
      tools.push(...res.tools);
      cursor = res.nextCursor;
      if (!cursor) break;
    }
    return tools;
  }

  #drop(client: Client): void {
    if (this.#state.kind === 'ready' && this.#state.client === client) this.#state = { kind: 'idle' };
    void client.close().catch(() => {});
  }
}

/** A failure of the connection itself (server restarted, process gone), not an answer from the server. */
function connectionLost(e: unknown): boolean {
  if (e instanceof McpError) return e.code === ErrorCode.ConnectionClosed;
  return true;
}

function abortion(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
