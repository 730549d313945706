import type { CallOutcome } from './campaign-types.ts';
import type { Store } from './store.ts';

// Outbound calls by Twilio's CallSid, and the do-not-call list. Twilio's callbacks (answering
// machine, final status) and the media stream may reach different nodes in any order: each writes
// what it learned here, and the voicemail message is claimed once (UPDATE … WHERE voicemail IS …).

/** An outbound call as stored. */
export interface OutboundCall {
  callSid: string;
  agent: string;
  to: string;
  campaignId: string | null;
  contactId: string | null;
  createdAt: string;
  status: string | null;
  answeredBy: string | null;
  outcome: CallOutcome | null;
  detectedBy: 'amd' | 'speech' | null;
  voicemail: 'waiting' | 'left' | 'hung up' | null;
  conversationId: string | null;
}

/** A number on the do-not-call list. */
export interface DoNotCallEntry {
  phone: string;
  source: 'admin' | 'import' | 'caller';
  reason: string | null;
  conversationId: string | null;
  addedAt: string;
}

export class OutboundCalls {
  readonly #store: Store;
  constructor(store: Store) {
    this.#store = store;
  }

  /** Notes a call Twilio queued. */
  async record(c: { callSid: string; agent: string; to: string; campaignId?: string | null; contactId?: string | null; now: string }): Promise<void> {
    await this.#store.db
      .insertInto('outbound_calls')
      .values({ call_sid: c.callSid, agent: c.agent, to_number: c.to, campaign_id: c.campaignId ?? null, contact_id: c.contactId ?? null, created_at: c.now, status: null, answered_by: null, outcome: null, detected_by: null, voicemail: null, conversation_id: null })
      .onConflict((oc) => oc.column('call_sid').doNothing())
      .execute();
  }

  async get(callSid: string): Promise<OutboundCall | undefined> {
    const r = await this.#store.db.selectFrom('outbound_calls').selectAll().where('call_sid', '=', callSid).executeTakeFirst();
    return (
      r && {
        callSid: r.call_sid,
        agent: r.agent,
        to: r.to_number,
        campaignId: r.campaign_id,
        contactId: r.contact_id,
        createdAt: r.created_at,
        status: r.status,
        answeredBy: r.answered_by,
        outcome: r.outcome as CallOutcome | null,
        detectedBy: r.detected_by as OutboundCall['detectedBy'],
        voicemail: r.voicemail as OutboundCall['voicemail'],
        conversationId: r.conversation_id,
      }
    );
  }

  /** Twilio's AnsweredBy, as its answering-machine callback said. */
  async noteAnsweredBy(callSid: string, answeredBy: string): Promise<void> {
    await this.#store.db.updateTable('outbound_calls').set({ answered_by: answeredBy }).where('call_sid', '=', callSid).execute();
  }

  /**
   * Sets the outcome. `voicemail` and `failed` (a fax) replace `human` (detection can come after
   * the call was answered); the rest fill it only while it is unknown.
   */
  async setOutcome(callSid: string, outcome: CallOutcome, detectedBy?: 'amd' | 'speech'): Promise<void> {
    let q = this.#store.db.updateTable('outbound_calls').set({ outcome, ...(detectedBy ? { detected_by: detectedBy } : {}) }).where('call_sid', '=', callSid);
    q = outcome === 'voicemail' || outcome === 'failed' ? q.where((eb) => eb.or([eb('outcome', 'is', null), eb('outcome', '=', 'human')])) : q.where('outcome', 'is', null);
    await q.execute();
  }

  /** Moves the voicemail message from `from` to `to`; true for the one caller that did. */
  async claimVoicemail(callSid: string, from: null | 'waiting', to: 'waiting' | 'left' | 'hung up'): Promise<boolean> {
    const q = this.#store.db.updateTable('outbound_calls').set({ voicemail: to }).where('call_sid', '=', callSid);
    const r = await (from === null ? q.where('voicemail', 'is', null) : q.where('voicemail', '=', from)).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Twilio's final CallStatus. */
  async setStatus(callSid: string, status: string): Promise<void> {
    await this.#store.db.updateTable('outbound_calls').set({ status }).where('call_sid', '=', callSid).execute();
  }

  /** Links the conversation the call became (the first one wins). */
  async linkConversation(callSid: string, conversationId: string): Promise<boolean> {
    const r = await this.#store.db.updateTable('outbound_calls').set({ conversation_id: conversationId }).where('call_sid', '=', callSid).where('conversation_id', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  // The do-not-call list: numbers in E.164, one row each.

  /** Adds a number (again: keeps the first entry). */
  async addDoNotCall(e: { phone: string; source: DoNotCallEntry['source']; reason?: string | null; conversationId?: string | null; now: string }): Promise<void> {
    await this.#store.db
      .insertInto('do_not_call')
      .values({ phone: e.phone, source: e.source, reason: e.reason ?? null, conversation_id: e.conversationId ?? null, added_at: e.now })
      .onConflict((oc) => oc.column('phone').doNothing())
      .execute();
  }

  async removeDoNotCall(phone: string): Promise<boolean> {
    const r = await this.#store.db.deleteFrom('do_not_call').where('phone', '=', phone).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }

  async onDoNotCall(phone: string): Promise<boolean> {
    return !!(await this.#store.db.selectFrom('do_not_call').select('phone').where('phone', '=', phone).executeTakeFirst());
  }

  async doNotCallList(limit = 1000): Promise<DoNotCallEntry[]> {
    const rows = await this.#store.db.selectFrom('do_not_call').selectAll().orderBy('added_at', 'desc').limit(limit).execute();
    return rows.map((r) => ({ phone: r.phone, source: r.source as DoNotCallEntry['source'], reason: r.reason, conversationId: r.conversation_id, addedAt: r.added_at }));
  }
}
