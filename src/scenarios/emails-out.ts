import type { Agent } from '../agent/load.ts';
import { secretRefs } from '../agent/secrets.ts';
import { destinationsOf, ownerAddress } from '../events/destinations.ts';
import { composeEmail } from '../events/mail.ts';
import { mailConfigured } from '../events/mail-config.ts';
import type { EmailMessageKind } from '../store/outbox.ts';
import type { EmittedEvent } from './events-out.ts';

// The emails a scenario's conversation would send — the caller's invitation, the owner's
// notices — composed exactly as the server composes them (src/events/emails.ts) and captured,
// never sent: a scenario needs no SMTP server. Email counts as configured when the agent's file
// names an owner address (events.email.to or calendar.ownerEmail), or the environment has SMTP.
// One the server would not send (a recipient that is not a plain address, a message that cannot
// be composed: its every attempt fails) is captured with its error, and does not count as sent.

/** An email the conversation would have sent, as composed. */
export interface CapturedEmail {
  /** invitation, cancellation and booking-link go to the caller; owner-booking and owner-lead to the owner. */
  message: EmailMessageKind;
  to: string;
  subject: string;
  text: string;
  /** The calendar file attached (invitations and booking notices), with its METHOD. */
  attachment: { filename: string; method: string } | null;
  /** Why the server would not send it (a refused recipient, a message it cannot compose): its delivery fails with this error. */
  error?: string;
}

/** Whether a scenario of this agent emails, and the environment with placeholders for unset owner addresses. */
export function scenarioMail(agent: Agent, baseEnv: NodeJS.ProcessEnv): { on: boolean; env: NodeJS.ProcessEnv } {
  const config = agent.config;
  const written = [config.events.email.to, config.calendar?.provider === 'builtin' ? config.calendar.ownerEmail : undefined].filter((a): a is string => !!a);
  const env: NodeJS.ProcessEnv = { ...baseEnv };
  for (const name of written.flatMap(secretRefs)) env[name] ||= `${name.toLowerCase().replace(/_/g, '-')}@stub.invalid`;
  return { on: written.length > 0 || mailConfigured(baseEnv), env };
}

/** The emails `events` would send from agent `agent`, composed with the clock `now`; those the server would not send carry `error`. */
export function capturedEmails(events: readonly EmittedEvent[], agent: Agent, env: NodeJS.ProcessEnv, now: Date): CapturedEmail[] {
  const config = agent.config;
  const from = env.PARLEY_MAIL_FROM || ownerAddress(config, env) || 'parley@stub.invalid';
  const out: CapturedEmail[] = [];
  for (const e of events) {
    const outbox = { id: 'scenario', agent: agent.name, type: e.type, data: e.data, conversationId: null, createdAt: now.toISOString() };
    for (const d of destinationsOf(outbox, { config, env: { ...env, PARLEY_EVENTS_URL: '' }, mail: true })) {
      if (d.target.kind !== 'email') continue;
      const message = d.target.message;
      const composed = composeEmail(d.target, { agent: agent.name, data: e.data }, { config, env, from, now });
      const to = d.target.to.join(', ');
      if ('error' in composed) out.push({ message, to, subject: '', text: '', attachment: null, error: composed.error });
      else out.push({ message, to, subject: composed.subject, text: composed.text, attachment: composed.icalEvent ? { filename: composed.icalEvent.filename, method: composed.icalEvent.method } : null });
    }
  }
  return out;
}
