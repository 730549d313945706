import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { refusedByTwilio } from '../../channels/twilio/calls.ts';
import { Campaigns, type ClaimedContact } from '../../store/campaigns.ts';
import { errorText } from '../../util/error-text.ts';
import { PollingLoop } from '../../util/polling-loop.ts';
import type { LoadedAgent } from '../agents.ts';
import type { ServerContext } from '../context.ts';
import { callStatusFromTwilio, dialOut, DoNotCallError, finishCampaignAttempt, onCallStatus } from '../outbound-calls.ts';
import { windowOpensAt } from './calling-window.ts';

// Dials running campaigns. Each round, on every node: first the contacts whose lease ran out (a
// node died, or a status callback never came) are taken over — Twilio is asked how the call
// stands, and a call that may still be live keeps its contact; only a call known to be over (or
// one never confirmed, once its lease — longer than any call lives — has run out) is retried.
// Then each running campaign's due contacts are claimed within its caps and calling windows,
// checked against the do-not-call list once more, and dialled. Everything it decides comes from
// the store and an injectable clock, so restarts and several nodes pick up where the rows say.

/** Rings for at most this long before Twilio reports no-answer (its default Timeout). */
const RING_SEC = 60;

export interface CampaignRunnerOptions {
  ctx: ServerContext;
  /** The public base URL Twilio reaches this server at (PARLEY_PUBLIC_URL). */
  publicUrl: string;
  now?: () => number;
  /** This runner's name in leases (default host:pid:random). */
  owner?: string;
  /** How often to look for due contacts when not woken (default 5 s). */
  pollMs?: number;
}

export class CampaignRunner {
  readonly owner: string;
  readonly #o: Required<CampaignRunnerOptions>;
  readonly #campaigns: Campaigns;
  readonly #loop: PollingLoop;
  #warned = new Set<string>();

  constructor(o: CampaignRunnerOptions) {
    this.owner = o.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.#o = { ctx: o.ctx, publicUrl: o.publicUrl.replace(/\/+$/, ''), now: o.now ?? o.ctx.now, owner: this.owner, pollMs: o.pollMs ?? 5000 };
    this.#campaigns = new Campaigns(o.ctx.store);
    this.#loop = new PollingLoop({ round: (signal) => this.round(signal), pollMs: this.#o.pollMs, onError: (e) => this.#o.ctx.warn(`campaigns: round failed: ${errorText(e)}`) });
  }

  /** One round: take over expired leases, then claim and dial what is due. Resolves when every dial is answered by Twilio. */
  async round(signal: AbortSignal = new AbortController().signal): Promise<{ dialled: number; reconciled: number }> {
    const reconciled = await this.#reconcile(signal);
    let dialled = 0;
    for (const campaign of await this.#campaigns.running()) {
      if (signal.aborted) break;
      const loaded = this.#agent(campaign.agent, campaign.id);
      if (!loaded) continue;
      const now = this.#o.now();
      const claimed = await this.#campaigns.claim({
        campaignId: campaign.id,
        owner: this.owner,
        now: iso(now),
        leaseUntil: iso(now + leaseMs(loaded)),
        settings: campaign.settings,
        opensAt: (c) => windowOpensAt(campaign.settings.window, c.timeZone, now),
      });
      const results = await Promise.all(claimed.map((c) => this.#dial(loaded, c, signal)));
      dialled += results.filter(Boolean).length;
      await this.#campaigns.finishIfDone(campaign.id, iso(this.#o.now()));
    }
    return { dialled, reconciled };
  }

  async #dial(loaded: LoadedAgent, c: ClaimedContact, signal: AbortSignal): Promise<boolean> {
    const { ctx } = this.#o;
    const at = () => iso(this.#o.now());
    // Between the claim and now the campaign may have been paused, or the number listed.
    const campaign = await this.#campaigns.get(c.campaignId);
    if (campaign?.state !== 'running') {
      await this.#campaigns.release(c.id, this.owner, at());
      return false;
    }
    try {
      const call = await dialOut(ctx, { loaded, to: c.phone, base: this.#o.publicUrl, campaignId: c.campaignId, contactId: c.id, signal });
      await this.#campaigns.setCallSid(c.id, this.owner, call.sid, at());
      ctx.log(`campaign ${c.campaignId}: calling ${c.phone} (attempt ${c.attempts}, call ${call.sid})`);
      return true;
    } catch (e) {
      if (e instanceof DoNotCallError) {
        await this.#campaigns.release(c.id, this.owner, at(), 'do-not-call');
        return false;
      }
      const message = errorText(e);
      if (refusedByTwilio(e)) {
        // Twilio refused it: no call exists, so the attempt is over (and not retried: it would be refused again).
        await finishCampaignAttempt(ctx, c.campaignId, c.id, null, { status: 'failed', outcome: 'failed', error: message });
      } else {
        // No answer from Twilio: the call may exist. The contact stays claimed until its lease runs out.
        ctx.warn(`campaign ${c.campaignId}: calling ${c.phone} got no clear answer from Twilio (${message}); tried again after ${c.leaseUntil} unless Twilio reports the call`);
      }
      return false;
    }
  }

  /** Contacts whose lease expired: settled from what Twilio says about their call. */
  async #reconcile(signal: AbortSignal): Promise<number> {
    const { ctx } = this.#o;
    let n = 0;
    for (const c of await this.#campaigns.expired(iso(this.#o.now()))) {
      if (signal.aborted) break;
      const campaign = await this.#campaigns.get(c.campaignId);
      const loaded = campaign && this.#agent(campaign.agent, campaign.id);
      if (!loaded) continue;
      const now = this.#o.now();
      const shortLease = iso(now + 60_000);
      if (!(await this.#campaigns.takeOver(c.id, c.leaseUntil, this.owner, shortLease, iso(now)))) continue; // another node has it
      n++;
      if (!c.callSid) {
        await finishCampaignAttempt(ctx, c.campaignId, c.id, null, { status: 'unknown', outcome: 'failed', error: 'the node dialling it stopped before Twilio confirmed the call' });
        continue;
      }
      try {
        const state = await callStatusFromTwilio(ctx, loaded, c.callSid);
        if (state.live) {
          await this.#campaigns.takeOver(c.id, shortLease, this.owner, iso(now + leaseMs(loaded)), iso(now));
          continue;
        }
        if (state.status === 'unknown') await finishCampaignAttempt(ctx, c.campaignId, c.id, c.callSid, { status: 'unknown', outcome: 'failed', error: 'Twilio does not say how the call ended' });
        else await onCallStatus(ctx, loaded, c.callSid, state.status, { answeredBy: state.answeredBy ?? undefined });
      } catch (e) {
        ctx.warn(`campaign ${c.campaignId}: could not ask Twilio about call ${c.callSid}: ${errorText(e)}; asking again in a minute`);
      }
    }
    return n;
  }

  #agent(name: string, campaignId: string): LoadedAgent | undefined {
    const loaded = this.#o.ctx.agents.get(name);
    if (!loaded && !this.#warned.has(campaignId)) {
      this.#warned.add(campaignId);
      this.#o.ctx.warn(`campaign ${campaignId}: no agent named "${name}" on this server; its contacts wait`);
    }
    return loaded;
  }

  /** Runs rounds every pollMs (and whenever woken) until stop(). */
  start(): void {
    this.#loop.start();
  }

  /** Runs a round now (a call ended, a campaign started), or right after the one in flight. */
  wake(): void {
    this.#loop.wake();
  }

  /** Stops dialling; calls already placed go on, and their contacts are settled by their callbacks or after their lease. */
  stop(): Promise<void> {
    return this.#loop.stop();
  }
}

/** How long a dialled contact stays claimed: longer than its call can ring and last. */
export function leaseMs(loaded: LoadedAgent): number {
  return (RING_SEC + loaded.agent.config.limits.maxDurationSec + 120) * 1000;
}

const iso = (ms: number) => new Date(ms).toISOString();
