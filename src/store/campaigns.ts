import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { CallOutcome, CampaignSettings, CampaignState, CampaignView, ContactState, ContactView } from './campaign-types.ts';
import { CONTACT_STATES } from './campaign-types.ts';
import type { Store } from './store.ts';
import type { CampaignContactTable } from './tables.ts';

// Campaigns and their contacts. A node dials a contact only after claiming it: in one transaction
// that first locks the campaign's row (so the concurrency and per-minute caps hold across nodes),
// it moves due contacts to `calling` with a lease. The lease outlasts any call the node may have
// placed; a contact whose lease ran out is taken over by another node, which asks Twilio about
// the call before deciding anything. Times are ISO-8601 strings from the caller's clock.

export type { CampaignSettings, CampaignState, CampaignView, ContactState, ContactView } from './campaign-types.ts';

/** A contact to import. */
export interface NewContact {
  row: number;
  phone: string;
  name: string | null;
  timeZone: string;
  variables: Record<string, string>;
}

/** A contact a node holds the lease of. */
export interface ClaimedContact {
  id: string;
  campaignId: string;
  phone: string;
  name: string | null;
  timeZone: string;
  variables: Record<string, string>;
  /** Attempts including this one. */
  attempts: number;
  callSid: string | null;
  leaseUntil: string;
}

/** What an attempt came to: Twilio's final status and the call's outcome. */
export interface AttemptResult {
  status: 'completed' | 'busy' | 'no-answer' | 'failed' | 'canceled' | 'unknown';
  outcome: CallOutcome;
  error?: string | null;
}

type ContactRow = Selectable<CampaignContactTable>;

export class Campaigns {
  readonly #store: Store;
  constructor(store: Store) {
    this.#store = store;
  }

  /** Creates a running campaign with its contacts; returns its id. */
  async create(c: { name: string; agent: string; settings: CampaignSettings; contacts: NewContact[]; now: string; state?: CampaignState }): Promise<string> {
    const id = randomUUID();
    await this.#store.db.transaction().execute(async (tx) => {
      await tx.insertInto('campaigns').values({ id, name: c.name, agent: c.agent, state: c.state ?? 'running', settings: JSON.stringify(c.settings), created_at: c.now, updated_at: c.now }).execute();
      // In slices: PostgreSQL takes at most 65,535 parameters per statement.
      for (let i = 0; i < c.contacts.length; i += 500) {
        await tx
          .insertInto('campaign_contacts')
          .values(
            c.contacts.slice(i, i + 500).map((k) => ({
              id: randomUUID(),
              campaign_id: id,
              row_no: k.row,
              phone: k.phone,
              name: k.name,
              time_zone: k.timeZone,
              variables: JSON.stringify(k.variables),
              state: 'pending',
              next_attempt_at: c.now,
              lease_owner: null,
              lease_until: null,
              call_sid: null,
              last_dialled_at: null,
              outcome: null,
              last_error: null,
              updated_at: c.now,
            })),
          )
          .execute();
      }
    });
    return id;
  }

  /** Campaigns newest first, with counts; `state` filters. */
  async list(o: { state?: CampaignState; agent?: string } = {}): Promise<CampaignView[]> {
    let q = this.#store.db.selectFrom('campaigns').selectAll().orderBy('created_at', 'desc').orderBy('id');
    if (o.state) q = q.where('state', '=', o.state);
    if (o.agent) q = q.where('agent', '=', o.agent);
    const rows = await q.execute();
    return Promise.all(rows.map((r) => this.#view(r)));
  }

  /** One campaign by id (or a unique id prefix of 4+ characters). */
  async get(idOrPrefix: string): Promise<CampaignView | undefined> {
    const prefix = idOrPrefix.replace(/[^0-9a-f-]/gi, '');
    if (prefix.length < 4) return undefined;
    const rows = await this.#store.db.selectFrom('campaigns').selectAll().where('id', 'like', `${prefix}%`).limit(2).execute();
    return rows.length === 1 ? this.#view(rows[0]!) : undefined;
  }

  async #view(r: { id: string; name: string; agent: string; state: string; settings: string; created_at: string; updated_at: string }): Promise<CampaignView> {
    const counts = await this.#store.db
      .selectFrom('campaign_contacts')
      .select((eb) => ['state', 'outcome', eb.fn.countAll<number>().as('n')])
      .where('campaign_id', '=', r.id)
      .groupBy(['state', 'outcome'])
      .execute();
    const contacts = Object.fromEntries(CONTACT_STATES.map((s) => [s, 0])) as Record<ContactState, number>;
    const outcomes: Partial<Record<CallOutcome, number>> = {};
    for (const c of counts) {
      contacts[c.state as ContactState] += Number(c.n);
      if (c.outcome) outcomes[c.outcome as CallOutcome] = (outcomes[c.outcome as CallOutcome] ?? 0) + Number(c.n);
    }
    return { id: r.id, name: r.name, agent: r.agent, state: r.state as CampaignState, settings: JSON.parse(r.settings) as CampaignSettings, createdAt: r.created_at, updatedAt: r.updated_at, contacts, outcomes };
  }

  /** A campaign's contacts in file order. */
  async contacts(campaignId: string, o: { state?: ContactState; limit?: number } = {}): Promise<ContactView[]> {
    let q = this.#store.db.selectFrom('campaign_contacts').selectAll().where('campaign_id', '=', campaignId).orderBy('row_no').limit(Math.min(o.limit ?? 500, 5000));
    if (o.state) q = q.where('state', '=', o.state);
    return (await q.execute()).map((r) => ({
      id: r.id,
      row: r.row_no,
      phone: r.phone,
      name: r.name,
      timeZone: r.time_zone,
      state: r.state as ContactState,
      attempts: Number(r.attempts),
      nextAttemptAt: r.next_attempt_at,
      outcome: r.outcome as CallOutcome | null,
      lastError: r.last_error,
    }));
  }

  /** A contact's variables and campaign, for the call that reaches it. */
  async contact(id: string): Promise<{ id: string; campaignId: string; phone: string; name: string | null; variables: Record<string, string> } | undefined> {
    const r = await this.#store.db.selectFrom('campaign_contacts').select(['id', 'campaign_id', 'phone', 'name', 'variables']).where('id', '=', id).executeTakeFirst();
    return r && { id: r.id, campaignId: r.campaign_id, phone: r.phone, name: r.name, variables: JSON.parse(r.variables) as Record<string, string> };
  }

  /** Moves a campaign from one of `from` to `to`; false when it was in none of them. */
  async setState(id: string, from: CampaignState[], to: CampaignState, now: string): Promise<boolean> {
    const r = await this.#store.db.updateTable('campaigns').set({ state: to, updated_at: now }).where('id', '=', id).where('state', 'in', from).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Running campaigns: what a runner dials for. */
  async running(): Promise<{ id: string; agent: string; settings: CampaignSettings }[]> {
    const rows = await this.#store.db.selectFrom('campaigns').select(['id', 'agent', 'settings']).where('state', '=', 'running').orderBy('created_at').execute();
    return rows.map((r) => ({ id: r.id, agent: r.agent, settings: JSON.parse(r.settings) as CampaignSettings }));
  }

  /**
   * Claims contacts of a running campaign to dial now, within its caps (counted across every node
   * under the campaign's row lock). `opensAt` says when a due contact's calling window opens (null:
   * open now); one outside its window is put off until then. One on the do-not-call list is set
   * aside for good.
   */
  async claim(o: { campaignId: string; owner: string; now: string; leaseUntil: string; settings: CampaignSettings; opensAt(contact: { phone: string; timeZone: string }): string | null }): Promise<ClaimedContact[]> {
    const minuteAgo = new Date(Date.parse(o.now) - 60_000).toISOString();
    return this.#store.db.transaction().execute(async (tx) => {
      // The lock first: the caps below are read and used by one node at a time.
      const locked = await tx.updateTable('campaigns').set((eb) => ({ updated_at: eb.ref('updated_at') })).where('id', '=', o.campaignId).where('state', '=', 'running').executeTakeFirst();
      if (Number(locked.numUpdatedRows) !== 1) return [];
      const counts = await tx
        .selectFrom('campaign_contacts')
        .select((eb) => [
          eb.fn.sum<number>(eb.case().when('state', '=', 'calling').then(1).else(0).end()).as('calling'),
          eb.fn.sum<number>(eb.case().when('last_dialled_at', '>', minuteAgo).then(1).else(0).end()).as('recent'),
        ])
        .where('campaign_id', '=', o.campaignId)
        .executeTakeFirst();
      let slots = Math.min(o.settings.concurrency - Number(counts?.calling ?? 0), o.settings.perMinute - Number(counts?.recent ?? 0));
      if (slots <= 0) return [];
      const due = await tx
        .selectFrom('campaign_contacts')
        .selectAll()
        .where('campaign_id', '=', o.campaignId)
        .where('state', '=', 'pending')
        .where('next_attempt_at', '<=', o.now)
        .orderBy('next_attempt_at')
        .orderBy('row_no')
        .limit(Math.max(slots * 4, 50))
        .execute();
      const blocked = new Set(
        due.length ? (await tx.selectFrom('do_not_call').select('phone').where('phone', 'in', due.map((d) => d.phone)).execute()).map((r) => r.phone) : [],
      );
      const claimed: ClaimedContact[] = [];
      for (const c of due) {
        if (blocked.has(c.phone)) {
          await tx.updateTable('campaign_contacts').set({ state: 'do-not-call', updated_at: o.now }).where('id', '=', c.id).where('state', '=', 'pending').execute();
          continue;
        }
        const opens = o.opensAt({ phone: c.phone, timeZone: c.time_zone });
        if (opens) {
          await tx.updateTable('campaign_contacts').set({ next_attempt_at: opens, updated_at: o.now }).where('id', '=', c.id).where('state', '=', 'pending').execute();
          continue;
        }
        if (slots <= 0) continue;
        const r = await tx
          .updateTable('campaign_contacts')
          .set((eb) => ({ state: 'calling', lease_owner: o.owner, lease_until: o.leaseUntil, attempts: eb('attempts', '+', 1), last_dialled_at: o.now, call_sid: null, last_error: null, updated_at: o.now }))
          .where('id', '=', c.id)
          .where('state', '=', 'pending')
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) continue;
        slots--;
        claimed.push({ ...contactOf(c), attempts: Number(c.attempts) + 1, callSid: null, leaseUntil: o.leaseUntil });
      }
      return claimed;
    });
  }

  /** The call Twilio queued for a claimed contact. */
  async setCallSid(contactId: string, owner: string, callSid: string, now: string): Promise<void> {
    await this.#store.db.updateTable('campaign_contacts').set({ call_sid: callSid, updated_at: now }).where('id', '=', contactId).where('state', '=', 'calling').where('lease_owner', '=', owner).execute();
  }

  /** Gives a claimed contact back undialled (the campaign was paused meanwhile): the attempt does not count. */
  async release(contactId: string, owner: string, now: string, state: 'pending' | 'do-not-call' = 'pending'): Promise<void> {
    await this.#store.db
      .updateTable('campaign_contacts')
      .set((eb) => ({ state, lease_owner: null, lease_until: null, attempts: eb('attempts', '-', 1), last_dialled_at: null, updated_at: now }))
      .where('id', '=', contactId)
      .where('state', '=', 'calling')
      .where('lease_owner', '=', owner)
      .where('call_sid', 'is', null)
      .execute();
  }

  /** Contacts being called whose lease ran out: their node died, or never heard how the call ended. */
  async expired(now: string, limit = 50): Promise<{ id: string; campaignId: string; callSid: string | null; leaseUntil: string }[]> {
    const rows = await this.#store.db.selectFrom('campaign_contacts').select(['id', 'campaign_id', 'call_sid', 'lease_until']).where('state', '=', 'calling').where('lease_until', '<', now).orderBy('lease_until').limit(limit).execute();
    return rows.map((r) => ({ id: r.id, campaignId: r.campaign_id, callSid: r.call_sid, leaseUntil: r.lease_until! }));
  }

  /** Takes over (or extends) an expired lease; false when another node did first. */
  async takeOver(contactId: string, expectedLeaseUntil: string, owner: string, leaseUntil: string, now: string): Promise<boolean> {
    const r = await this.#store.db
      .updateTable('campaign_contacts')
      .set({ lease_owner: owner, lease_until: leaseUntil, updated_at: now })
      .where('id', '=', contactId)
      .where('state', '=', 'calling')
      .where('lease_until', '=', expectedLeaseUntil)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /**
   * Records how a contact's attempt ended, once: only while the contact is still being called on
   * `callSid` (null: an attempt whose call Twilio never confirmed). Busy and unanswered calls are
   * retried with back-off until maxAttempts; a number on the do-not-call list is never retried.
   * Returns the contact's new state, or undefined when the attempt was already recorded.
   */
  async finishAttempt(contactId: string, callSid: string | null, result: AttemptResult, settings: CampaignSettings, now: string): Promise<ContactState | undefined> {
    return this.#store.db.transaction().execute(async (tx) => {
      let q = tx.selectFrom('campaign_contacts').selectAll().where('id', '=', contactId).where('state', '=', 'calling');
      q = callSid === null ? q.where('call_sid', 'is', null) : q.where('call_sid', '=', callSid);
      const c = await q.executeTakeFirst();
      if (!c) return undefined;
      const blocked = await tx.selectFrom('do_not_call').select('phone').where('phone', '=', c.phone).executeTakeFirst();
      const attempts = Number(c.attempts);
      const retryable = result.status === 'busy' || result.status === 'no-answer' || result.status === 'unknown';
      let state: ContactState;
      let next = c.next_attempt_at;
      if (blocked) state = 'do-not-call';
      else if (result.status === 'completed') state = 'done';
      else if (retryable && attempts < settings.maxAttempts) {
        state = 'pending';
        next = new Date(Date.parse(now) + retryDelayMinutes(settings, attempts) * 60_000).toISOString();
      } else state = 'unreachable';
      await tx
        .updateTable('campaign_contacts')
        .set({ state, next_attempt_at: next, lease_owner: null, lease_until: null, outcome: result.outcome, last_error: result.error ?? null, updated_at: now })
        .where('id', '=', c.id)
        .where('state', '=', 'calling')
        .execute();
      return state;
    });
  }

  /** Marks a running campaign finished once nobody is left to call or being called. */
  async finishIfDone(campaignId: string, now: string): Promise<boolean> {
    const left = await this.#store.db.selectFrom('campaign_contacts').select('id').where('campaign_id', '=', campaignId).where('state', 'in', ['pending', 'calling']).limit(1).executeTakeFirst();
    if (left) return false;
    return this.setState(campaignId, ['running'], 'finished', now);
  }
}

/** Minutes to wait before the retry that follows `attempts` attempts. */
export function retryDelayMinutes(settings: CampaignSettings, attempts: number): number {
  const d = settings.retryMinutes;
  return d.length ? d[Math.min(Math.max(attempts - 1, 0), d.length - 1)]! : 30;
}

function contactOf(c: ContactRow): Omit<ClaimedContact, 'attempts' | 'callSid' | 'leaseUntil'> {
  return { id: c.id, campaignId: c.campaign_id, phone: c.phone, name: c.name, timeZone: c.time_zone, variables: JSON.parse(c.variables) as Record<string, string> };
}
