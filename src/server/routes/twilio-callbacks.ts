import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ANSWERED_BY, isFinalCallStatus } from '../../channels/twilio/answering-machine.ts';
import { phoneAuthToken } from '../../channels/twilio/calls.ts';
import { validTwilioSignature } from '../../guard/twilio-signature.ts';
import { errorText } from '../../util/error-text.ts';
import type { LoadedAgent } from '../agents.ts';
import type { ServerContext } from '../context.ts';
import { onAnsweredBy, onCallStatus } from '../outbound-calls.ts';

// Twilio's callbacks about the outbound calls Parley places (docs/phone.md), each signed with
// X-Twilio-Signature like the voice webhook:
// - POST /v1/twilio/amd?agent=NAME — asynchronous answering-machine detection: AnsweredBy.
// - POST /v1/twilio/call-status?agent=NAME — the call's final CallStatus.
// Answered once handled (Twilio only looks at the 2xx), so a retried callback finds the work done.

export async function twilioCallbackRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });

    /** The agent of a signed callback, or the reply already sent. */
    const signed = (req: FastifyRequest<{ Querystring: { agent?: string }; Body: Record<string, string> }>, reply: FastifyReply): LoadedAgent | undefined => {
      const loaded = req.query.agent ? ctx.agents.get(req.query.agent) : undefined;
      const token = loaded ? phoneAuthToken(loaded.agent, ctx.env) : undefined;
      const url = `${ctx.baseUrl(req)}${req.url}`;
      const params = req.body && typeof req.body === 'object' ? req.body : {};
      if (!loaded || !token || !validTwilioSignature(token, header(req, 'x-twilio-signature'), url, params)) {
        ctx.warn(`twilio: refused a callback for ${url}: ${loaded ? (token ? 'the signature does not match' : 'no auth token to check it against') : 'no such agent'}`);
        void reply.code(403).type('text/plain').send('invalid Twilio signature');
        return undefined;
      }
      return loaded;
    };

    scope.post<{ Querystring: { agent?: string }; Body: Record<string, string> }>('/v1/twilio/amd', async (req, reply) => {
      const loaded = signed(req, reply);
      if (!loaded) return reply;
      const { CallSid: sid = '', AnsweredBy: answeredBy = '' } = req.body ?? {};
      if (!sid || !(ANSWERED_BY as readonly string[]).includes(answeredBy)) return reply.code(400).send({ error: 'CallSid and a known AnsweredBy are required' });
      try {
        await onAnsweredBy(ctx, loaded, sid, answeredBy);
      } catch (e) {
        ctx.warn(`twilio: answering-machine result for ${sid} not handled: ${errorText(e)}`);
        return reply.code(500).send({ error: 'not handled' });
      }
      return reply.code(204).send();
    });

    scope.post<{ Querystring: { agent?: string }; Body: Record<string, string> }>('/v1/twilio/call-status', async (req, reply) => {
      const loaded = signed(req, reply);
      if (!loaded) return reply;
      const { CallSid: sid = '', CallStatus: status = '', AnsweredBy: answeredBy } = req.body ?? {};
      if (!sid) return reply.code(400).send({ error: 'CallSid is required' });
      if (!isFinalCallStatus(status)) return reply.code(204).send(); // initiated, ringing, answered: nothing to record
      try {
        await onCallStatus(ctx, loaded, sid, status, { answeredBy });
      } catch (e) {
        ctx.warn(`twilio: status of ${sid} not handled: ${errorText(e)}`);
        return reply.code(500).send({ error: 'not handled' });
      }
      return reply.code(204).send();
    });
  });
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
