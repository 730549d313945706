import type { FastifyInstance } from 'fastify';
import { Campaigns, type CampaignState, type ContactState } from '../../store/campaigns.ts';
import { CONTACT_STATES } from '../../store/campaign-types.ts';
import { OutboundCalls } from '../../store/outbound-calls.ts';
import { campaignSettings } from '../campaigns/calling-window.ts';
import { readContacts } from '../campaigns/contacts-csv.ts';
import { readNumber } from '../campaigns/phone-zone.ts';
import type { ServerContext } from '../context.ts';
import { adminGuard } from './admin.ts';

// Campaigns and the do-not-call list through the admin API (docs/phone.md), behind the admin
// guard like the rest of /v1/admin: what `parley campaign` and the dashboard use.

interface NewCampaignBody {
  agent?: unknown;
  name?: unknown;
  csv?: unknown;
  hours?: unknown;
  days?: unknown;
  concurrency?: unknown;
  perMinute?: unknown;
  maxAttempts?: unknown;
  retryMinutes?: unknown;
  country?: unknown;
}

export async function campaignRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const campaigns = new Campaigns(ctx.store);
  const calls = new OutboundCalls(ctx.store);
  const at = () => new Date(ctx.now()).toISOString();

  await app.register(async (api) => {
    api.addHook('onRequest', adminGuard(ctx, ctx.adminAuth));

    api.get<{ Querystring: { state?: string; agent?: string } }>('/v1/admin/campaigns', async (req) => ({
      campaigns: await campaigns.list({ state: req.query.state as CampaignState | undefined, agent: req.query.agent }),
      dialling: !!ctx.campaignRunner,
    }));

    // A contact list can be large: up to 10 MB of CSV here (the server's default body limit is 64 KB).
    api.post<{ Body: NewCampaignBody }>('/v1/admin/campaigns', { bodyLimit: 10 * 1024 * 1024 }, async (req, reply) => {
      const b = req.body ?? {};
      const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
      const agentName = str(b.agent);
      const loaded = agentName ? ctx.agents.get(agentName) : undefined;
      if (!loaded) return reply.code(agentName ? 404 : 400).send({ error: agentName ? `no agent named "${agentName}"` : 'agent is required' });
      if (!loaded.agent.config.channels.phone?.number) return reply.code(400).send({ error: `"${loaded.agent.name}" has no channels.phone.number in agent.yaml: set the Twilio number it calls from` });
      if (typeof b.csv !== 'string') return reply.code(400).send({ error: 'csv is required: the contact list as CSV text with a phone column' });
      let settings;
      try {
        settings = campaignSettings({
          hours: str(b.hours),
          days: Array.isArray(b.days) ? (b.days as number[]) : str(b.days),
          concurrency: b.concurrency as number | undefined,
          perMinute: b.perMinute as number | undefined,
          maxAttempts: b.maxAttempts as number | undefined,
          retryMinutes: Array.isArray(b.retryMinutes) ? (b.retryMinutes as number[]) : str(b.retryMinutes),
        });
      } catch (e) {
        return reply.code(400).send({ error: (e as Error).message });
      }
      const country = str(b.country)?.toUpperCase();
      const read = readContacts(b.csv, { agent: loaded.agent, defaultCountry: country });
      if (read.problems.length) return reply.code(400).send({ error: `the contact list has ${read.problems.length} problem${read.problems.length === 1 ? '' : 's'}; nothing was imported`, problems: read.problems.slice(0, 200) });
      const name = str(b.name)?.trim().slice(0, 200) || `${loaded.agent.name} ${at().slice(0, 16).replace('T', ' ')}`;
      const id = await campaigns.create({ name, agent: loaded.agent.name, settings, contacts: read.contacts, now: at() });
      ctx.log(`campaign ${id}: ${read.contacts.length} contacts for ${loaded.agent.name}`);
      ctx.campaignRunner?.wake();
      return reply.code(201).send({ campaign: await campaigns.get(id), dialling: !!ctx.campaignRunner });
    });

    api.get<{ Params: { id: string }; Querystring: { state?: string; limit?: string } }>('/v1/admin/campaigns/:id', async (req, reply) => {
      const campaign = await campaigns.get(req.params.id);
      if (!campaign) return reply.code(404).send({ error: `no campaign ${req.params.id}` });
      const state = CONTACT_STATES.find((s) => s === req.query.state) as ContactState | undefined;
      return { campaign, contacts: await campaigns.contacts(campaign.id, { state, limit: Number(req.query.limit) || undefined }) };
    });

    for (const [action, from, to] of [
      ['pause', ['running'], 'paused'],
      ['resume', ['paused'], 'running'],
    ] as const) {
      api.post<{ Params: { id: string } }>(`/v1/admin/campaigns/:id/${action}`, async (req, reply) => {
        const campaign = await campaigns.get(req.params.id);
        if (!campaign) return reply.code(404).send({ error: `no campaign ${req.params.id}` });
        if (campaign.state === to) return { campaign }; // twice is once
        if (!(await campaigns.setState(campaign.id, [...from], to, at()))) return reply.code(409).send({ error: `campaign ${campaign.id} is ${campaign.state}: only a ${from.join(' or ')} campaign can be ${action}d` });
        if (to === 'running') ctx.campaignRunner?.wake();
        return { campaign: await campaigns.get(campaign.id) };
      });
    }

    api.get('/v1/admin/do-not-call', async () => ({ numbers: await calls.doNotCallList() }));

    api.post<{ Body: { phone?: unknown; reason?: unknown; country?: unknown } }>('/v1/admin/do-not-call', async (req, reply) => {
      let phone;
      try {
        phone = readNumber(typeof req.body?.phone === 'string' ? req.body.phone : '', typeof req.body?.country === 'string' ? req.body.country.toUpperCase() : undefined).e164;
      } catch (e) {
        return reply.code(400).send({ error: (e as Error).message });
      }
      await calls.addDoNotCall({ phone, source: 'admin', reason: typeof req.body?.reason === 'string' ? req.body.reason.slice(0, 300) : null, now: at() });
      return reply.code(201).send({ phone });
    });

    api.delete<{ Params: { phone: string } }>('/v1/admin/do-not-call/:phone', async (req, reply) => {
      if (!(await calls.removeDoNotCall(req.params.phone))) return reply.code(404).send({ error: `${req.params.phone} is not on the do-not-call list` });
      return reply.code(204).send();
    });
  });
}
