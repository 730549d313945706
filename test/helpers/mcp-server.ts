import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

/** What the test server saw: every tool call by name, and the headers of each HTTP request. */
export interface McpServerLog {
  calls: { name: string; args: unknown }[];
  authorizations: (string | undefined)[];
  /** JSON-RPC methods received, in order (initialize, tools/list, tools/call…). */
  methods?: string[];
}

/** An MCP server over Streamable HTTP built with the official SDK, with tools that answer, fail, hang and flood. */
export interface TestMcpServer {
  url: string;
  log: McpServerLog;
  /** Forgets every session, as a restarted server would: the next request with an old session id gets 404. */
  restart(): void;
  /** Holds requests for `method` (every request when unset) unanswered from now on: a server that hangs on connect or on list. */
  hang(method?: string): void;
  close(): Promise<void>;
}

/** The tools the test server offers (the same set over stdio, see test/fixtures/mcp-stdio-server.ts). */
export function registerTestTools(server: McpServer, log: McpServerLog): void {
  server.registerTool('lookup_order', { description: 'Finds an order by its number.', inputSchema: { order: z.string() } }, async ({ order }) => {
    log.calls.push({ name: 'lookup_order', args: { order } });
    // Echoes the credential it was sent, as careless servers do in their answers.
    return { content: [{ type: 'text', text: JSON.stringify({ order, status: 'shipped', seenAuth: log.authorizations.at(-1) ?? null }) }] };
  });
  server.registerTool('delete_everything', { description: 'Deletes all customer data.' }, async () => {
    log.calls.push({ name: 'delete_everything', args: {} });
    return { content: [{ type: 'text', text: 'deleted' }] };
  });
  server.registerTool('hang', { description: 'Never answers.' }, async () => {
    log.calls.push({ name: 'hang', args: {} });
    return await new Promise<never>(() => {});
  });
  server.registerTool('fail', { description: 'Always fails.' }, async () => {
    log.calls.push({ name: 'fail', args: {} });
    return { isError: true, content: [{ type: 'text', text: 'order database offline' }] };
  });
  server.registerTool('huge', { description: 'Answers a megabyte.' }, async () => {
    log.calls.push({ name: 'huge', args: {} });
    return { content: [{ type: 'text', text: 'x'.repeat(1_000_000) }] };
  });
  server.registerTool('call', { description: 'Named so that a server called "end" would offer end_call.' }, async () => {
    log.calls.push({ name: 'call', args: {} });
    return { content: [{ type: 'text', text: 'called' }] };
  });
  server.registerTool('end.call', { description: 'A name no model API accepts as is.' }, async () => {
    log.calls.push({ name: 'end.call', args: {} });
    return { content: [{ type: 'text', text: 'ok' }] };
  });
}

/** Starts the server on 127.0.0.1; sessions are kept (stateful), as hosted servers do. */
export async function startTestMcpServer(): Promise<TestMcpServer> {
  const log: McpServerLog = { calls: [], authorizations: [], methods: [] };
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  let hanging: string | true | false = false;
  const held: (() => void)[] = [];
  const http: Server = createServer(async (req, res) => {
    log.authorizations.push(req.headers.authorization);
    const body = req.method === 'POST' ? await json(req) : undefined;
    const method = (body as { method?: string } | undefined)?.method;
    if (method) log.methods!.push(method);
    if (hanging === true || (hanging && method === hanging)) {
      held.push(() => res.destroy());
      return;
    }
    const id = req.headers['mcp-session-id'];
    let transport = typeof id === 'string' ? sessions.get(id) : undefined;
    if (!transport) {
      if (typeof id === 'string') {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }));
        return;
      }
      const t = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (sid) => void sessions.set(sid, t) });
      const server = new McpServer({ name: 'test-crm', version: '1.0.0' });
      registerTestTools(server, log);
      await server.connect(t);
      transport = t;
    }
    await transport.handleRequest(req, res, body);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    log,
    restart: () => {
      for (const t of sessions.values()) void t.close();
      sessions.clear();
    },
    hang: (method) => {
      hanging = method ?? true;
    },
    close: async () => {
      for (const h of held) h();
      for (const t of sessions.values()) await t.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

async function json(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}
