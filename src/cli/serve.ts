import { Command } from 'commander';
import { listen } from '../server/listen.ts';

/** `parley serve [dir]`: the production server; needs PARLEY_ADMIN_TOKEN (it guards the dashboard, the admin API and outbound calls). */
export function command(): Command {
  return new Command('serve')
    .description('run the server in production: web session tokens and the web socket door for every agent in a folder')
    .argument('[dir]', 'a folder of agent folders, or one agent folder', '.')
    .option('--port <port>', 'port to listen on', '3000')
    .option('--host <host>', 'address to listen on', '0.0.0.0')
    .action(async (dir: string, opts: { port: string; host: string }) => {
      if (!process.env.PARLEY_ADMIN_TOKEN) {
        process.stderr.write('parley serve needs PARLEY_ADMIN_TOKEN: set it to a long random string (e.g. `openssl rand -hex 32`); it guards the dashboard, the admin API and outbound calls.\n');
        process.exit(2);
      }
      await listen({ dir, mode: 'serve', port: Number(opts.port), host: opts.host });
    });
}
