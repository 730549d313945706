import { buildServer } from './app.ts';
import { httpTimeouts, proxyTrust, proxyTrustWarning, type ProxyTrust } from './http-edge.ts';

/** Builds the server, listens, and closes it cleanly on SIGINT/SIGTERM. */
export async function listen(o: { dir: string; mode: 'dev' | 'serve'; port: number; host: string }): Promise<void> {
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) {
    process.stderr.write(`--port must be a port number, not ${o.port}\n`);
    process.exit(2);
  }
  let trust: ProxyTrust = { kind: 'none' };
  try {
    // The HTTP edge settings are checked before anything opens, so a typo stops the start with its reason, not a stack.
    trust = proxyTrust(process.env.PARLEY_TRUST_PROXY);
    httpTimeouts(process.env);
  } catch (e) {
    process.stderr.write(`parley ${o.mode}: ${(e as Error).message}\n`);
    process.exit(2);
  }
  const app = await buildServer({ agentsDir: o.dir, env: process.env, mode: o.mode, logger: true });
  const unsafe = proxyTrustWarning(trust, o.host);
  if (unsafe) app.log.warn(unsafe);
  // SIGTERM drains: live conversations finish (up to PARLEY_DRAIN_TIMEOUT_SEC), new ones go elsewhere.
  // A second signal, or SIGINT (Ctrl-C), closes at once.
  const drainMs = (Number(process.env.PARLEY_DRAIN_TIMEOUT_SEC) || 300) * 1000;
  let stopping = false;
  const stop = async (graceful: boolean) => {
    if (stopping) process.exit(0);
    stopping = true;
    if (graceful) await app.drain(drainMs);
    else await app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop(false));
  process.on('SIGTERM', () => void stop(true));
  const address = await app.listen({ port: o.port, host: o.host });
  // One plain line a newcomer can click, whatever the log format.
  process.stdout.write(`parley ${o.mode}: dashboard at ${address.replace('0.0.0.0', '127.0.0.1').replace('[::]', '[::1]')}/dashboard\n`);
}
