import { Deliverer, type Send } from '../events/deliverer.ts';
import { destinationsOf, serverEventTypes } from '../events/destinations.ts';
import { emailSender } from '../events/mail.ts';
import { describeSmtp, mailConfigured, smtpSettings } from '../events/mail-config.ts';
import { sendWebhook } from '../events/webhooks.ts';
import type { ConversationEvent } from '../session/events.ts';
import { enqueueEvent, Outbox, type EventType } from '../store/outbox.ts';
import { Records } from '../store/records.ts';
import type { Store } from '../store/store.ts';
import { errorText } from '../util/error-text.ts';
import { withoutPassword } from '../util/service-url.ts';
import type { AgentRegistry } from './agents.ts';
import { conversationView } from './routes/admin.ts';

// Events out, as the server runs them: what a conversation does becomes outbox events
// (lead.saved and booking.created as they happen, conversation.ended once the session is over
// and its record — recording included — is written), and one deliverer per process sends them.

/** How the server's deliverer is set up (tests pass a clock and keep it from polling). */
export interface EventsOutOptions {
  now?: () => number;
  /** Run the delivery loop (default true); tests call `deliverer.round()` themselves. */
  run?: boolean;
  pollMs?: number;
  leaseMs?: number;
  /** Longest wait for a receiver's answer (default PARLEY_EVENTS_TIMEOUT_SEC, else 10 s). */
  timeoutMs?: number;
  /** Sends emails; default from PARLEY_SMTP_URL or PARLEY_SMTP_HOST (none when neither is set). */
  sendEmail?: Send;
}

/** The server's events: enqueue, observe conversations, deliver. */
export class EventsOut {
  readonly deliverer: Deliverer;
  readonly #store: Store;
  readonly #publicUrl: string | undefined;
  readonly #log: (line: string) => void;
  readonly #now: () => number;
  /** Enqueues under way, so `idle()` can wait for them. */
  readonly #queueing = new Set<Promise<unknown>>();

  constructor(d: { store: Store; agents: AgentRegistry; env: NodeJS.ProcessEnv; publicUrl?: string; log: (line: string) => void }, o: EventsOutOptions = {}) {
    this.#store = d.store;
    this.#publicUrl = d.publicUrl;
    this.#log = d.log;
    this.#now = o.now ?? Date.now;
    const timeoutMs = o.timeoutMs ?? (Number(d.env.PARLEY_EVENTS_TIMEOUT_SEC) > 0 ? Number(d.env.PARLEY_EVENTS_TIMEOUT_SEC) * 1000 : 10_000);
    const sendEmail = o.sendEmail ?? (mailConfigured(d.env) ? emailSender({ env: d.env, config: (agent) => d.agents.get(agent)?.agent.config, now: this.#now }) : undefined);
    this.deliverer = new Deliverer({
      store: d.store,
      now: this.#now,
      pollMs: o.pollMs,
      // A lease outlives the longest attempt, so only a dead deliverer's deliveries are taken over.
      leaseMs: o.leaseMs ?? Math.max(60_000, 3 * timeoutMs),
      log: d.log,
      destinations: (event) => destinationsOf(event, { config: d.agents.get(event.agent)?.agent.config, env: d.env, mail: !!sendEmail }),
      send: (delivery, signal) => {
        if (delivery.target.kind === 'webhook') return sendWebhook(delivery, { env: d.env, now: this.#now, timeoutMs, signal });
        if (!sendEmail) return Promise.resolve({ ok: false, status: null, error: 'email is not configured (neither PARLEY_SMTP_URL nor PARLEY_SMTP_HOST is set)' });
        return sendEmail(delivery, signal);
      },
    });
    if (o.run !== false) this.deliverer.start();
  }

  /** Writes an event to the outbox and wakes the deliverer; returns the event's id. */
  enqueue(e: { agent: string; type: EventType; data: unknown; conversationId?: string | null }): Promise<string> {
    return this.#track(
      enqueueEvent(this.#store, { ...e, at: new Date(this.#now()) }).then((id) => {
        this.deliverer.wake();
        return id;
      }),
    );
  }

  /** Resolves once every event observed so far is in the outbox. */
  async idle(): Promise<void> {
    while (this.#queueing.size) await Promise.allSettled([...this.#queueing]);
  }

  #track<T>(p: Promise<T>): Promise<T> {
    this.#queueing.add(p);
    void p.finally(() => this.#queueing.delete(p)).catch(() => {});
    return p;
  }

  /** A conversation's event as it happens: leads and bookings go out at once. */
  observe(agent: string, conversationId: string, e: ConversationEvent, lead: Record<string, string>): void {
    let out: Promise<unknown> | undefined;
    if (e.type === 'lead.saved') out = this.enqueue({ agent, type: 'lead.saved', conversationId, data: { conversationId, saved: e.fields, lead: { ...lead, ...e.fields } } });
    if (e.type === 'booking.made') out = this.enqueue({ agent, type: 'booking.created', conversationId, data: { conversationId, booking: e.booking } });
    out?.catch((err: unknown) => this.#log(`events: ${e.type} of ${conversationId} could not be queued: ${errorText(err)}`));
  }

  /** A session is over and its record written: the whole record goes out as conversation.ended. */
  conversationEnded(conversationId: string): Promise<void> {
    return this.#track(this.#conversationEnded(conversationId));
  }

  async #conversationEnded(conversationId: string): Promise<void> {
    try {
      const records = new Records(this.#store.db);
      const rec = await records.get(conversationId);
      if (!rec?.endedAt) return;
      const view = conversationView(rec, (await records.outcome(rec.id)) ?? 'open');
      const recording = view.recording ? { ...view.recording, url: `${this.#publicUrl ?? ''}${view.recording.url}` } : null;
      await this.enqueue({ agent: rec.agent, type: 'conversation.ended', conversationId, data: { ...view, recording } });
    } catch (e) {
      this.#log(`events: conversation.ended of ${conversationId} could not be queued: ${errorText(e)}`);
    }
  }

  /** "Send again": every delivery of the event is due now; how many. */
  async redeliver(eventId: string): Promise<number> {
    const n = await new Outbox(this.#store).redeliver(eventId, new Date(this.#now()).toISOString());
    this.deliverer.wake();
    return n;
  }

  /** What the start-up log says about events out: what is on, and settings that leave something off. */
  static describe(env: NodeJS.ProcessEnv): { info: string[]; warn: string[] } {
    const info: string[] = [];
    const warn: string[] = [];
    serverEventTypes(env); // an unknown PARLEY_EVENTS_TYPES stops the start
    if (env.PARLEY_EVENTS_URL) info.push(`events go to PARLEY_EVENTS_URL (${serverEventTypes(env).join(', ')})${env.PARLEY_EVENTS_SECRET ? '' : '; PARLEY_EVENTS_SECRET is not set, so every delivery fails until it is'}`);
    const smtp = smtpSettings(env);
    if (smtp && !env.PARLEY_MAIL_FROM) warn.push(`${env.PARLEY_SMTP_URL ? 'PARLEY_SMTP_URL' : 'PARLEY_SMTP_HOST'} is set but PARLEY_MAIL_FROM is not: no email is sent`);
    if (smtp && mailConfigured(env)) {
      info.push(`email goes through ${describeSmtp(smtp, withoutPassword)} from ${env.PARLEY_MAIL_FROM}`);
      if (!env.PARLEY_LINK_SECRET || !env.PARLEY_PUBLIC_URL) warn.push('invitations carry no cancel link: set PARLEY_LINK_SECRET and PARLEY_PUBLIC_URL');
    }
    return { info, warn };
  }

  stop(): Promise<void> {
    return this.deliverer.stop();
  }
}
