import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import { SlotUnavailableError, type CalendarCall, type CollectedField, type CalendarProvider, type HttpExchange, type Slot } from './calendar/types.ts';
import { callerZoneFrom, describeSpan, resolveWhen, sayTime } from './calendar/when.ts';
import type { CollectSpec } from '../agent/collect.ts';
import { isJoinLink, meetingLocation, meetingName } from '../agent/meeting.ts';
import { bookingAttendee } from './collect/attendee.ts';
import { readBackRefusal } from './collect/read-back.ts';
import { checkValue } from './collect/values.ts';
import type { ToolContext, ToolOutcome } from './context.ts';
import { isEmail } from './lead.ts';
import { parseSpokenEmail, spellOut } from './spelling.ts';
import { sameWallClock, saidOnBothClocks } from './time-readback.ts';
import type { ToolSpec } from './traced.ts';
import { perAgent } from './per-agent.ts';

// check_availability and book_call. The rules that keep a booking right are enforced here,
// in code: only offered slots can be booked, the name and email must have been spelled back
// and confirmed, the slot is re-checked just before booking, the lead is saved first, and
// one idempotency key per conversation means a retry never books twice.

const MAX_OFFERED = 8;
const DEFAULT_DAYS = 7;

/** check_availability: open slots for what the caller asked ("tomorrow afternoon"), said the way a person says them. */
const AVAILABILITY_INPUT = z.object({
  when: z.string().max(120).optional().describe('When the caller wants the call, in their words; omit for the next few days.'),
  callerTimeZone: z.string().max(64).optional().describe('IANA zone of the caller once they said where they are, e.g. America/Chicago (a city name also works).'),
});

export function checkAvailabilityTool(ctx: ToolContext, calendar: CalendarProvider): ToolSpec<{ when?: string; callerTimeZone?: string }> {
  return {
    name: 'check_availability',
    description:
      `Find open times for ${meetingName(ctx.agent.config)}. Pass the caller’s own words for when, in English or the conversation’s language (e.g. "tomorrow afternoon", "next Tuesday at 3 my time", "w środę rano") and, once the caller said where they are, their time zone: their clock times are then read on their clock.`,
    inputSchema: AVAILABILITY_INPUT,
    run: async ({ when, callerTimeZone }, signal) => {
      const zone = ctx.agent.config.timeZone;
      const now = Temporal.Instant.fromEpochMilliseconds(ctx.now().getTime());
      const given = callerZoneFrom(callerTimeZone);
      if ('error' in given) return { result: { error: given.error }, error: 'callerTimeZone is not a time zone' };
      let callerZone = given.zone ?? ctx.booking.callerZone;
      let from = now;
      let to = now.add({ hours: 24 * DEFAULT_DAYS });
      let clock: Record<string, unknown> | undefined;
      let namedZone: string | undefined;
      if (when?.trim()) {
        const range = resolveWhen(when, { now, timeZone: zone, callerZone, previous: ctx.booking.lastWhen, language: ctx.agent.config.persona?.language });
        if ('error' in range) return { result: { error: range.error } };
        from = Temporal.Instant.compare(range.from.toInstant(), now) > 0 ? range.from.toInstant() : now;
        to = range.to.toInstant();
        callerZone = range.callerZone ?? callerZone;
        if (range.whose === 'named') namedZone = range.zone;
        const oneDay = range.from.toPlainDate().equals(range.to.subtract({ nanoseconds: 1 }).toPlainDate());
        ctx.booking.lastWhen = oneDay ? { date: range.from.toPlainDate().toString(), zone: range.zone } : undefined;
        // Whose clock the words were read on goes back with the slots, and so into the record.
        clock = {
          timeZone: range.zone,
          whose: range.whose,
          understood: range.description,
          ...(range.zone !== zone ? { inBusinessTime: describeSpan(range.from.withTimeZone(zone), range.to.withTimeZone(zone), !!range.exact) } : {}),
          ...(range.dst ? { dst: range.dst.note } : {}),
        };
      }
      if (callerZone) ctx.booking.callerZone = callerZone;
      const { call, exchanges } = tracing(signal);
      // Only slots inside what the caller asked for: a vendor that answers with more is not trusted.
      const inside = (s: Slot): boolean => {
        const at = Temporal.Instant.from(s.start);
        return Temporal.Instant.compare(at, now) > 0 && Temporal.Instant.compare(at, from) >= 0 && Temporal.Instant.compare(at, to) < 0;
      };
      const slots = (await calendar.availability({ from: from.toString(), to: to.toString(), timeZone: zone }, call)).filter(inside);
      const offered = spread(slots, zone, MAX_OFFERED);
      ctx.booking.offered = offered;
      const other = callerZone ?? namedZone;
      const twoClocks = !!other && offered.some((s) => !sameWallClock(s.start, other, zone));
      const about = { timeZone: zone, ...(callerZone ? { callerTimeZone: callerZone } : {}), ...(clock ? { clock } : {}) };
      const result = offered.length
        ? {
            ...about,
            slots: offered.map((s) => ({ start: s.start, say: sayTime(s.start, { timeZone: zone, callerZone, namedZone, now, language: ctx.agent.config.persona?.language }) })),
            note:
              'Offer only these times, two or three at a time, using the "say" wording. To book, pass the exact "start" value.' +
              (twoClocks ? ' Before book_call, read the chosen time back on both clocks as "say" has it, and wait for a yes.' : ''),
          }
        : { ...about, slots: [], note: 'No open times in that range. Offer to look at another day.' };
      // A calendar with no HTTP (the built-in one) still shows what was asked and what came back.
      const trace = exchanges.length ? exchangeFields(exchanges) : { request: { calendar: calendar.id, from: from.toString(), to: to.toString(), timeZone: zone, ...(clock ? { clock } : {}) }, response: { slots } };
      return { ...trace, result };
    },
  };
}

/** What book_call takes: the slot, name and email, and every other field the agent collects (only those: no `company` or `problem` unless collected). */
function bookInput(collect: CollectSpec[]) {
  // company and problem keep their own wording (problem is the calendar's notes) when collected.
  const own: Record<string, z.ZodOptional<z.ZodString>> = {
    company: z.string().max(200).optional(),
    problem: z.string().max(2000).optional().describe('What the caller wants to solve, for the consultant.'),
  };
  const extra = Object.fromEntries(
    collect.filter((f) => f.field !== 'name' && f.field !== 'email').map((f) => [f.field, (Object.hasOwn(own, f.field) ? own[f.field] : undefined) ?? z.string().max(2000).optional().describe(`${f.description ?? f.field}; omit to use what save_lead saved`)]),
  );
  return z.object({
    start: z.string().describe('The exact "start" of one of the slots check_availability returned.'),
    name: z.string().min(2).max(200).describe('Full name, as spelled back to and confirmed by the caller.'),
    email: z.string().max(320).describe('Email, as spelled back to and confirmed by the caller.'),
    ...extra,
    callerTimeZone: z.string().max(64).optional(),
  });
}

type BookArgs = { start: string; name: string; email: string; company?: string; problem?: string; callerTimeZone?: string } & Record<string, string | undefined>;

/** book_call: books an offered slot once the caller has confirmed the spelling of their name and email (and each field's read-back). */
export function bookCallTool(ctx: ToolContext, calendar: CalendarProvider): ToolSpec<BookArgs> {
  const collect = ctx.agent.collect ?? [];
  return {
    name: 'book_call',
    description: `Book ${meetingName(ctx.agent.config)} in one of the offered slots. Only after you have spelled the name and email back, read back every other value save_lead gave a readBack for, and the caller said yes.`,
    inputSchema: perAgent(ctx.agent, 'book_call', () => bookInput(collect)) as unknown as z.ZodType<BookArgs>,
    run: async (input, signal) => {
      const refuse = (reason: string): ToolOutcome => ({ result: { booked: false, error: reason }, error: `refused: ${reason}` });
      const zone = ctx.agent.config.timeZone;
      const now = Temporal.Instant.fromEpochMilliseconds(ctx.now().getTime());
      const email = isEmail(input.email.trim()) ? input.email.trim().toLowerCase() : (parseSpokenEmail(input.email, ctx.agent.config.persona?.language) ?? input.email.trim());
      const name = input.name.trim();
      const start = normalizeInstant(input.start);

      const max = ctx.agent.config.limits.maxBookingsPerConversation;
      if (ctx.booking.bookings.length >= max) return refuse(`this conversation already booked ${ctx.booking.bookings.length} call(s); the limit is ${max}`);
      const given = callerZoneFrom(input.callerTimeZone);
      if ('error' in given) return refuse(given.error);
      const callerZone = given.zone ?? ctx.booking.callerZone;
      const slot = start && ctx.booking.offered.find((s) => normalizeInstant(s.start) === start);
      if (!slot) return refuse('that time is not one of the slots check_availability offered; call check_availability and offer one of its times');
      if (Temporal.Instant.compare(Temporal.Instant.from(slot.start), now) <= 0) return refuse('that time has already passed');
      if (!isEmail(email)) return refuse(`"${input.email}" is not a valid email address; ask the caller to spell it again`);
      const typed = collectedFields(ctx, collect, input);
      if ('error' in typed) return refuse(typed.error);
      const transcript = ctx.transcript();
      // Name and email are spelled back unless collect: says another read-back for them.
      const language = ctx.agent.config.persona?.language;
      const own = (field: string) => collect.find((c) => c.field === field && c.confirm !== 'spell');
      const nameRefusal = readBackRefusal('name', own('name'), name, own('name') ? name : spellOut(name, language), transcript, language);
      if (nameRefusal) return refuse(nameRefusal);
      const emailRefusal = readBackRefusal('email', own('email'), email, own('email') ? email : spellOut(email, language), transcript, language);
      if (emailRefusal) return refuse(emailRefusal);
      for (const f of typed.fields) {
        const spec = collect.find((c) => c.field === f.field)!;
        const refusal = readBackRefusal(f.field, spec, f.value, f.say, transcript, language);
        if (refusal) return refuse(refusal);
      }
      if (callerZone && !sameWallClock(slot.start, callerZone, zone) && !saidOnBothClocks(transcript, slot.start, [callerZone, zone])) {
        return refuse(`read the time back on both clocks first — "${sayTime(slot.start, { timeZone: zone, callerZone, now, language })}" — and wait for the caller's yes before booking`);
      }

      // The lead first: if the calendar fails now, nothing the caller told us is lost.
      const newly = Object.fromEntries(typed.fields.filter((f) => f.given).map((f) => [f.field, f.value]));
      const lead = { name, email, ...(input.company ? { company: input.company } : {}), ...(input.problem ? { problem: input.problem } : {}), ...newly };
      Object.assign(ctx.lead, lead);
      ctx.emit({ type: 'lead.saved', at: ctx.now().toISOString(), fields: lead });

      const { call, exchanges } = tracing(signal);
      const company = input.company ?? ctx.lead.company;
      const attendee = bookingAttendee({ name, email, timeZone: callerZone ?? zone, company, fields: typed.fields });
      const notes = input.problem ?? ctx.lead.problem;
      try {
        // Re-check just before booking: another conversation may have taken it.
        const fresh = await calendar.availability({ from: slot.start, to: slot.end, timeZone: zone }, call);
        if (!fresh.some((s) => normalizeInstant(s.start) === start)) throw new SlotUnavailableError();
        const booking = await calendar.book({ start: slot.start, attendee, ...(notes ? { notes } : {}), idempotencyKey: `${ctx.conversationId}:booking:${ctx.booking.bookings.length}`, conversationId: ctx.conversationId }, call);
        ctx.booking.bookings.push(booking);
        ctx.emit({ type: 'booking.made', at: ctx.now().toISOString(), booking: { ...booking, provider: calendar.id, attendee, timeZone: zone } });
        const say = sayTime(booking.start, { timeZone: zone, callerZone, now, language });
        const meeting = bookedMeeting(ctx);
        const result =
          booking.status === 'link'
            ? linkResult(ctx, booking.url, email)
            : booking.status === 'pending'
              ? { booked: false, requested: true, start: booking.start, say, timeZone: zone, note: `The request for ${say} is with the team, who confirm it by email to ${email}. Do not say it is confirmed.` }
              : { booked: true, meeting: meeting.name, start: booking.start, say, timeZone: zone, ...(meeting.location ? { location: meeting.location } : {}), note: `Confirm aloud: ${meeting.named ? `${meeting.name}, ` : ''}${say}.${whereNote(ctx, meeting.location)} ${invitationNote(ctx, calendar, email)}` };
        return { ...exchangeFields(exchanges), result };
      } catch (e) {
        if (signal.aborted) throw e;
        ctx.booking.offered = ctx.booking.offered.filter((s) => s.start !== slot.start);
        const gone = e instanceof SlotUnavailableError;
        const message = gone ? 'that time was just taken' : `the calendar did not answer (${(e as Error).message})`;
        return {
          ...exchangeFields(exchanges),
          result: { booked: false, error: message, note: gone ? 'Apologise and offer another of the times, or check availability again.' : 'Apologise: the details are saved and the team will email times. Do not claim it is booked.' },
          error: message,
        };
      }
    },
  };
}

/** Every collected field but name and email with a value (given to book_call, or saved earlier), checked by its type. */
function collectedFields(ctx: ToolContext, collect: CollectSpec[], input: BookArgs): { fields: (CollectedField & { say: string; given: boolean })[] } | { error: string } {
  const fields: (CollectedField & { say: string; given: boolean })[] = [];
  for (const spec of collect) {
    if (spec.field === 'name' || spec.field === 'email') continue;
    const given = input[spec.field]?.trim();
    const raw = given || ctx.lead[spec.field];
    if (!raw) continue;
    const checked = checkValue(spec, raw, { now: ctx.now(), timeZone: ctx.agent.config?.timeZone ?? 'UTC', language: ctx.agent.config?.persona?.language });
    if ('error' in checked) return { error: checked.error };
    fields.push({ field: spec.field, type: spec.type, value: checked.value, ...(spec.question ? { question: spec.question } : {}), say: checked.say, given: !!given });
  }
  return { fields };
}

/** What the booked meeting is called and where it happens. */
/** The booked meeting's name (`named`: the owner's own, worth saying; else the English default the model words itself) and place. */
function bookedMeeting(ctx: ToolContext): { name: string; named: boolean; location?: string } {
  const location = meetingLocation(ctx.agent.config.calendar, ctx.env);
  return { name: meetingName(ctx.agent.config), named: !!ctx.agent.config.calendar?.meetingName?.trim(), ...(location ? { location } : {}) };
}

/** book_call's answer when the calendar gave a scheduling link instead of a booking: how the link reaches the caller. */
function linkResult(ctx: ToolContext, link: string | undefined, email: string): Record<string, unknown> {
  if (ctx.emailsLinks) return { booked: false, link, emailedTo: email, note: `Nothing is booked yet: the calendar needs the caller to confirm on its page. The link is being emailed to ${email}; tell the caller to open that email and confirm there. Do not read the link aloud.` };
  if (ctx.phone) return { booked: false, link, note: 'Nothing is booked yet: the calendar needs the caller to confirm through a link, and no email can be sent from here. Do not read the link aloud and do not promise to send it; say the team will be in touch at the email they gave to finish the booking (the details are saved).' };
  return { booked: false, link, note: 'Nothing is booked yet: the calendar needs the caller to confirm through this link. Give them the link as written; no email is sent.' };
}

/** What the caller may be told about email: only what will really be sent. */
/** How the agent says where: an address aloud; a video-call link never letter by letter, since a URL read out on a call helps no one. */
function whereNote(ctx: ToolContext, location: string | undefined): string {
  if (!location) return '';
  if (!isJoinLink(location)) return ` Say where: ${location}.`;
  return ctx.emailsInvitations ? ' It is a video call: say the link to join is in the invitation email; do not read the URL aloud.' : ' It is a video call; do not read the URL aloud.';
}

function invitationNote(ctx: ToolContext, calendar: CalendarProvider, email: string): string {
  if (calendar.id === 'builtin') return ctx.emailsInvitations ? `A calendar invitation goes to ${email}.` : 'No invitation is emailed: do not promise one; the team has the booking.';
  const vendor = calendar.id === 'calcom' ? 'cal.com' : calendar.id === 'calendly' ? 'Calendly' : 'The calendar';
  return `${vendor} emails the confirmation to ${email}.`;
}

/** The calendar exchanges of one tool call, collected for its trace. */
function tracing(signal: AbortSignal): { call: CalendarCall; exchanges: HttpExchange[] } {
  const exchanges: HttpExchange[] = [];
  return { exchanges, call: { signal, trace: (x) => exchanges.push(x) } };
}

function exchangeFields(exchanges: HttpExchange[]): Pick<ToolOutcome, 'request' | 'response'> {
  if (!exchanges.length) return {};
  if (exchanges.length === 1) return { request: exchanges[0].request, response: exchanges[0].response };
  return { request: exchanges.map((x) => x.request), response: exchanges.map((x) => x.response) };
}

/** At most `max` slots, spread over the days found rather than all on the first morning. */
function spread(slots: Slot[], zone: string, max: number): Slot[] {
  const byDay = new Map<string, Slot[]>();
  for (const s of [...slots].sort((a, b) => a.start.localeCompare(b.start))) {
    const day = Temporal.Instant.from(s.start).toZonedDateTimeISO(zone).toPlainDate().toString();
    byDay.set(day, [...(byDay.get(day) ?? []), s]);
  }
  const perDay = Math.max(2, Math.ceil(max / Math.max(1, byDay.size)));
  return [...byDay.values()].flatMap((day) => day.slice(0, perDay)).slice(0, max);
}

function normalizeInstant(text: string): string | undefined {
  try {
    return Temporal.Instant.from(text.trim()).toString();
  } catch {
    return undefined;
  }
}
