import { Command } from 'commander';
import { listen } from '../server/listen.ts';

/** `parley dev [dir]`: the server for local development; localhost origins are always allowed. */
export function command(): Command {
  return new Command('dev')
    .description('run the server locally: web session tokens and the web socket door for every agent in a folder')
    .argument('[dir]', 'a folder of agent folders, or one agent folder', '.')
    .option('--port <port>', 'port to listen on', '3000')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .action(async (dir: string, opts: { port: string; host: string }) => {
      await listen({ dir, mode: 'dev', port: Number(opts.port), host: opts.host });
    });
}
