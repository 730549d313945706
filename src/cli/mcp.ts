import { Command } from 'commander';

/**
 * `parley mcp`: an MCP server over stdio for coding agents (Claude Code, Cursor…), serving the
 * folder it is started in: check, schema, test, knowledge explain, tools, conversations, replay
 * and init as tools with structured results (docs/mcp-server.md).
 */
export function command(): Command {
  return new Command('mcp')
    .description('serve check, schema, test, knowledge explain, tools, conversations, replay and init to a coding agent over MCP (stdio), within the current folder')
    .action(async () => {
      // stdout carries the protocol: anything a reused function prints goes to stderr instead.
      console.log = console.error;
      console.info = console.error;
      const { startStdioServer } = await import('./mcp-server.ts');
      await startStdioServer(process.cwd());
    });
}
