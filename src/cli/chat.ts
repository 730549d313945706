import { Command } from 'commander';
import { createInterface } from 'node:readline';
import { Conversation, type AgentOutput } from '../session/conversation.ts';
import { TextSession } from '../session/text-session.ts';
import type { ToolCallRecord } from '../store/records.ts';
import { bold, dim, exitOnAgentError } from './output.ts';
import { openAgentRuntime } from './runtime.ts';
import { closeMcpPool } from '../tools/mcp/servers.ts';
import { shutdownTraces } from '../session/telemetry/sink.ts';

/**
 * `parley chat <agent-dir>`: a text conversation with the agent. In a terminal it is a REPL;
 * with piped input it reads one caller line per line and prints one agent reply per line,
 * so conversations can be scripted.
 */
export function command(): Command {
  return new Command('chat')
    .description('talk to an agent in the terminal (text)')
    .argument('<agent-dir>', 'folder holding agent.yaml')
    .option('--verbose', 'with piped input, print tool calls to stderr')
    .action(async (dir: string, opts: { verbose?: boolean }) => {
      const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
      const log = (line: string) => process.stderr.write(`${dim(line)}\n`);
      const rt = await openAgentRuntime(dir, { log }).catch(exitOnAgentError);
      let lastTool: ToolCallRecord | undefined;
      const conversation = new Conversation({
        agent: rt.agent,
        store: rt.store,
        models: rt.models,
        embedder: rt.embedder,
        calendar: rt.calendar,
        channel: 'text',
        caller: 'terminal',
        onEvent: (_, e) => {
          if (e.type === 'tool.call') lastTool = e.call;
        },
      });
      const limits = rt.agent.config.limits;
      let speaking = false; // whether an "agent ›" line is open (interactive)
      const session = new TextSession({
        conversation,
        maxDurationSec: limits.maxDurationSec,
        maxTurnChars: limits.maxTurnChars,
        sink: (e) => {
          if (e.type === 'error') {
            if (!interactive && e.code !== 'failed') console.log(''); // still one line out per line in
            return log(`${e.code === 'failed' ? 'error' : 'not sent'}: ${e.message}`);
          }
          if (!interactive) {
            if (e.type === 'agent-done') console.log(oneLine(e.text));
            else if (e.type === 'tool' && opts.verbose) log(formatTool(e));
            return;
          }
          if (e.type === 'text') {
            if (!speaking) process.stdout.write(`${bold('agent ›')} `);
            speaking = true;
            process.stdout.write(e.text);
          } else if (e.type === 'tool') {
            process.stdout.write(`${speaking ? '\n' : ''}${dim(formatTool(e))}\n`);
            speaking = false;
          } else if (e.type === 'agent-done') {
            // A reply was streamed already; a fixed line (first message, wrap-up, goodbye) is printed whole.
            if (!speaking && e.text) console.log(`${bold('agent ›')} ${e.text}`);
            else if (speaking) process.stdout.write('\n');
            speaking = false;
          }
        },
      });

      log(`conversation ${conversation.id} with ${rt.agent.name} · model ${rt.modelLabel}`);
      if (interactive) console.log(dim('Type to talk. /trace shows the last tool call, /quit ends.'));
      await session.start();

      const rl = createInterface({ input: process.stdin, output: interactive ? process.stdout : undefined, terminal: interactive, prompt: interactive ? `${bold('you ›')} ` : '' });
      process.once('SIGINT', () => {
        rl.close();
        void session.end('caller left');
      });
      // The time limit (or the agent) may end the conversation while the caller is typing.
      void session.done.then(() => rl.close());
      if (interactive) rl.prompt();
      for await (const line of rl) {
        const text = line.trim();
        if (!text) {
          if (interactive) rl.prompt();
          continue;
        }
        if (interactive && text === '/quit') break;
        if (interactive && text === '/trace') {
          console.log(lastTool ? formatTrace(lastTool) : dim('no tool has been called yet'));
          rl.prompt();
          continue;
        }
        await session.say(text);
        if (session.phase === 'ended') break;
        if (interactive) rl.prompt();
      }
      rl.close();
      await session.end('caller left'); // a conversation that ended itself keeps its own reason
      await rt.store.close();
      await closeMcpPool(); // stops the agent's stdio MCP servers
      await shutdownTraces();
    });
}

function oneLine(text: string): string {
  return text.replace(/\s*\n+\s*/g, ' ').trim();
}

function formatTool(out: Extract<AgentOutput, { type: 'tool' }>): string {
  const result = out.error ? `error: ${out.error}` : JSON.stringify(out.output);
  return `  ⚙ ${out.name}(${JSON.stringify(out.input)}) → ${clip(result, 200)}`;
}

function formatTrace(call: ToolCallRecord): string {
  return [
    bold(`${call.name}  (${call.durationMs} ms${call.error ? `, error: ${call.error}` : ''})`),
    `${bold('input')}     ${JSON.stringify(call.input)}`,
    `${bold('request')}   ${JSON.stringify(call.request ?? null, null, 2)}`,
    `${bold('response')}  ${JSON.stringify(call.response ?? null, null, 2)}`,
    `${bold('result')}    ${clip(JSON.stringify(call.result), 2000)}`,
  ].join('\n');
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}
