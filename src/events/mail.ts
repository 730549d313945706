import type { Transporter } from 'nodemailer';
import type { AgentFileData } from '../agent/schema.ts';
import type { ClaimedDelivery, EmailMessageKind } from '../store/outbox.ts';
import { errorText } from '../util/error-text.ts';
import { bookingEmail, leadEmail, type BookingData, type Composed } from './emails.ts';
import { bookingLinkEmail, type LinkBookingData } from './link-email.ts';
import { safeAddress, smtpSettings } from './mail-config.ts';
import type { Send } from './deliverer.ts';

// Email through the operator's SMTP server (PARLEY_SMTP_URL, e.g. smtp://user:pass@host:587, or
// PARLEY_SMTP_HOST and its companions: mail-config.ts),
// by nodemailer: STARTTLS when the server offers it (smtps:// for TLS from the start), from
// PARLEY_MAIL_FROM. Every email is a delivery of the outbox, so an SMTP outage or a crash delays
// an invitation instead of losing it; each retry carries the same Message-ID.

/** Sends the outbox's email deliveries; `config` finds an agent's file (its owner address, its name). */
export function emailSender(o: { env: NodeJS.ProcessEnv; config(agent: string): AgentFileData | undefined; now?: () => number }): Send {
  // nodemailer is loaded with the first email, not at start: a server that sends none never pays for it.
  let transport: Promise<Transporter> | undefined;
  const connect = () =>
    (transport ??= import('nodemailer').then(({ default: nodemailer }) =>
      nodemailer.createTransport({ ...smtpSettings(o.env), connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as never),
    ));
  const from = o.env.PARLEY_MAIL_FROM ?? '';
  return async (d: ClaimedDelivery, signal: AbortSignal) => {
    if (d.target.kind !== 'email') return { ok: false, status: null, error: `not an email delivery: ${d.destination}` };
    signal.throwIfAborted();
    const config = o.config(d.event.agent);
    if (!config) return { ok: false, status: null, error: `agent ${d.event.agent} is not loaded` };
    const message = composeEmail(d.target, d.event, { config, env: o.env, from, now: new Date(o.now?.() ?? Date.now()) });
    if ('error' in message) return { ok: false, status: null, error: message.error };
    try {
      const info = await (await connect()).sendMail({ ...message, from, to: d.target.to.map((a) => safeAddress(a)!), messageId: `<${d.id}@parley>`, headers: { 'auto-submitted': 'auto-generated' } });
      return { ok: true, status: 250, error: info.rejected?.length ? `rejected: ${info.rejected.length} recipient(s)` : null };
    } catch (e) {
      const code = (e as { responseCode?: number }).responseCode ?? null;
      return { ok: false, status: code, error: errorText(e) };
    }
  };
}

/**
 * The email one delivery carries, or why the server will not send it (a recipient that is not a
 * plain address, a message that cannot be composed): each attempt then fails with that error.
 * Scenarios capture the same (src/scenarios/emails-out.ts).
 */
export function composeEmail(
  target: { message: EmailMessageKind; to: string[] },
  event: { agent: string; data: unknown },
  o: { config: AgentFileData; env: NodeJS.ProcessEnv; from: string; now: Date },
): Composed {
  if (!target.to.length || target.to.some((a) => !safeAddress(a))) return { error: 'refused: a recipient is not a plain email address' };
  if (target.message === 'owner-lead') return leadEmail(event.data as { lead?: Record<string, string> }, o.config, event.agent);
  if (target.message === 'booking-link') return bookingLinkEmail(event.data as LinkBookingData, o.config, event.agent);
  return bookingEmail(target.message, event.data as BookingData, { config: o.config, agent: event.agent, env: o.env, from: o.from, now: o.now });
}
