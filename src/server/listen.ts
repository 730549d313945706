import { buildServer } from './app.ts';

/** Builds the server, listens, and closes it cleanly on SIGINT/SIGTERM. */
export async function listen(o: { dir: string; mode: 'dev' | 'serve'; port: number; host: string }): Promise<void> {
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) {
    process.stderr.write(`--port must be a port number, not ${o.port}\n`);
    process.exit(2);
  }
  const app = await buildServer({ agentsDir: o.dir, env: process.env, mode: o.mode, logger: true });
  const stop = async () => {
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  await app.listen({ port: o.port, host: o.host });
}
