import type { Transporter } from 'nodemailer';
import type { AgentFileData } from '../agent/schema.ts';
import type { ClaimedDelivery } from '../store/outbox.ts';
import { errorText } from '../util/error-text.ts';
import { bookingEmail, leadEmail, type BookingData } from './emails.ts';
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
    const to = d.target.to.map(safeAddress);
    if (!to.length || to.some((a) => !a)) return { ok: false, status: null, error: 'refused: a recipient is not a plain email address' };
    const now = new Date(o.now?.() ?? Date.now());
    const message =
      d.target.message === 'owner-lead'
        ? leadEmail(d.event.data as { lead?: Record<string, string> }, config, d.event.agent)
        : d.target.message === 'booking-link'
          ? bookingLinkEmail(d.event.data as LinkBookingData, config, d.event.agent)
          : bookingEmail(d.target.message, d.event.data as BookingData, { config, agent: d.event.agent, env: o.env, from, now });
    if ('error' in message) return { ok: false, status: null, error: message.error };
    try {
      const info = await (await connect()).sendMail({ ...message, from, to: to as string[], messageId: `<${d.id}@parley>`, headers: { 'auto-submitted': 'auto-generated' } });
      return { ok: true, status: 250, error: info.rejected?.length ? `rejected: ${info.rejected.length} recipient(s)` : null };
    } catch (e) {
      const code = (e as { responseCode?: number }).responseCode ?? null;
      return { ok: false, status: code, error: errorText(e) };
    }
  };
}
