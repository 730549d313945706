import type { AgentFileData } from '../agent/schema.ts';
import { knownLanguage, type KnownLanguage } from '../util/language.ts';
import { fill } from './email-words.ts';
import { oneLine, whenText, type Composed } from './emails.ts';
import { safeAddress } from './mail-config.ts';

// The scheduling link a calendar gave instead of a booking (Calendly without a paid plan), emailed
// to the caller's address — the one book_call would not take until it was spelled back and
// confirmed. On a phone call this is how the link reaches the caller: nobody can note down a URL
// read aloud. Nothing is booked until the caller picks the time on the calendar's page.

/** The words of the link email in one language: `{business}`, `{caller}`, `{when}`, `{link}` are filled in. */
interface LinkWords {
  subject: string;
  text: string;
}

const WORDS: Record<KnownLanguage, LinkWords> = {
  en: { subject: 'Confirm your call with {business}', text: 'Hello {caller},\n\nTo book your call with {business} ({when}), confirm it on this page:\n{link}\n\nNothing is booked until you confirm there. The link works once.\n' },
  pl: { subject: 'Potwierdź rozmowę: {business}', text: 'Dzień dobry, {caller},\n\naby zarezerwować rozmowę ({business}, {when}), proszę ją potwierdzić na tej stronie:\n{link}\n\nDo potwierdzenia nic nie jest zarezerwowane. Link działa jeden raz.\n' },
  de: { subject: 'Bestätigen Sie Ihr Gespräch: {business}', text: 'Guten Tag {caller},\n\num Ihr Gespräch ({business}, {when}) zu buchen, bestätigen Sie es bitte auf dieser Seite:\n{link}\n\nBis zur Bestätigung ist nichts gebucht. Der Link gilt einmal.\n' },
  fr: { subject: 'Confirmez votre appel : {business}', text: 'Bonjour {caller},\n\npour réserver votre appel ({business}, {when}), confirmez-le sur cette page :\n{link}\n\nRien n’est réservé avant votre confirmation. Le lien ne sert qu’une fois.\n' },
  es: { subject: 'Confirme su llamada: {business}', text: 'Hola, {caller}:\n\npara reservar su llamada ({business}, {when}), confírmela en esta página:\n{link}\n\nNo hay nada reservado hasta que la confirme allí. El enlace sirve una sola vez.\n' },
  it: { subject: 'Confermi la sua chiamata: {business}', text: 'Buongiorno {caller},\n\nper prenotare la chiamata ({business}, {when}), la confermi in questa pagina:\n{link}\n\nNulla è prenotato finché non conferma lì. Il link vale una sola volta.\n' },
  pt: { subject: 'Confirme a sua chamada: {business}', text: 'Olá {caller},\n\npara marcar a sua chamada ({business}, {when}), confirme-a nesta página:\n{link}\n\nNada fica marcado até confirmar lá. O link só funciona uma vez.\n' },
  nl: { subject: 'Bevestig uw gesprek: {business}', text: 'Hallo {caller},\n\nom uw gesprek ({business}, {when}) te boeken, bevestigt u het op deze pagina:\n{link}\n\nEr is niets geboekt tot u daar bevestigt. De link werkt één keer.\n' },
};

/** A booking event's data when the calendar answered with a link instead of a booking. */
export interface LinkBookingData {
  booking: { status?: string; url?: string; start: string; timeZone: string; attendee: { name: string; email: string; timeZone?: string } };
}

/** The scheduling link a calendar gave instead of a booking, if the event carries one (https only). */
export function schedulingLinkOf(data: unknown): string | undefined {
  const b = (data as Partial<LinkBookingData> | null)?.booking;
  if (b?.status !== 'link' || typeof b.url !== 'string') return undefined;
  try {
    const u = new URL(b.url);
    return u.protocol === 'https:' && !/\s/.test(b.url) ? b.url : undefined;
  } catch {
    return undefined;
  }
}

/** The caller's email with the scheduling link, in the agent's language. */
export function bookingLinkEmail(data: LinkBookingData, config: AgentFileData, agent: string): Composed {
  const link = schedulingLinkOf(data);
  if (!link) return { error: 'the event carries no scheduling link' };
  const b = data.booking;
  if (!safeAddress(b.attendee?.email)) return { error: 'refused: the caller\'s address is not a plain email address' };
  const language = config.persona.language;
  const w = WORDS[knownLanguage(language)];
  const said = {
    business: oneLine(config.description ?? agent, 80),
    caller: oneLine(b.attendee?.name, 80),
    when: whenText(b.start, b.attendee?.timeZone || b.timeZone, language),
    link,
  };
  return { subject: fill(w.subject, said), text: fill(w.text, said) };
}
