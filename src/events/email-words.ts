import { knownLanguage, type KnownLanguage } from '../util/language.ts';

// The words of the booking emails, the lead notice and the cancel page, per base language of
// persona.language (English for a language Parley has no words in). `{name}` marks what is filled
// in; the sentences are built around the names so no language has to decline them. A date is
// Intl's nominative ("środa, 9 grudnia"), so it follows a colon or a bracket, never a preposition
// that governs a case (Polish "na" wants "na środę").

/** Every sentence of the emails and the cancel page, in one language. */
export interface EmailWords {
  callerName: string;
  someone: string;
  ownerSummary: string;
  callerSummary: string;
  callerDescription: string;
  toCancel: string;
  join: string;
  where: string;
  ownerBookedSubject: string;
  ownerCancelledSubject: string;
  ownerBooked: string;
  ownerCancelled: string;
  name: string;
  email: string;
  phone: string;
  company: string;
  notes: string;
  callerBookedSubject: string;
  hello: string;
  callerBooked: string;
  cancelHere: string;
  callerCancelledSubject: string;
  callerCancelled: string;
  newLeadSubject: string;
  linkNotValid: string;
  notFound: string;
  alreadyCancelled: string;
  isCancelled: string;
  passedTitle: string;
  passed: string;
  cancelTitle: string;
  cancelButton: string;
  cancelledTitle: string;
  cancelledText: string;
}

const EN: EmailWords = {
  callerName: 'Caller',
  someone: 'someone',
  ownerSummary: 'Call with {caller}',
  callerSummary: 'Call with {business}',
  callerDescription: 'Your call with {business}.',
  toCancel: 'To cancel: {link}',
  join: 'Join: {location}',
  where: 'Where: {location}',
  ownerBookedSubject: 'New booking: {caller}, {when}',
  ownerCancelledSubject: 'Booking cancelled: {caller}, {when}',
  ownerBooked: '{caller} booked a call for {when}.',
  ownerCancelled: '{caller} cancelled the call of {when}; the slot is free again.',
  name: 'Name',
  email: 'Email',
  phone: 'Phone',
  company: 'Company',
  notes: 'Notes',
  callerBookedSubject: 'Your call with {business}: {when}',
  hello: 'Hello {caller},',
  callerBooked: 'Your call with {business} is booked for {when}.',
  cancelHere: 'If you cannot make it, cancel here: {link}',
  callerCancelledSubject: 'Cancelled: your call with {business}, {when}',
  callerCancelled: 'Your call with {business} on {when} is cancelled.',
  newLeadSubject: 'New lead for {business}: {name}',
  linkNotValid: 'Link not valid',
  notFound: 'This link is not valid. If you copied it from an email, check that it is complete.',
  alreadyCancelled: 'Already cancelled',
  isCancelled: 'The call on {when} is cancelled.',
  passedTitle: 'This call has passed',
  passed: 'The call on {when} has already begun or taken place, so it can no longer be cancelled here.',
  cancelTitle: 'Cancel your call?',
  cancelButton: 'Cancel this call',
  cancelledTitle: 'Cancelled',
  cancelledText: 'Your call on {when} is cancelled. A cancellation is on its way to your calendar.',
};

const TABLES: Record<KnownLanguage, EmailWords> = {
  en: EN,
  pl: {
    callerName: 'Rozmówca',
    someone: 'ktoś',
    ownerSummary: 'Rozmowa: {caller}',
    callerSummary: 'Rozmowa: {business}',
    callerDescription: 'Umówiona rozmowa: {business}.',
    toCancel: 'Aby odwołać: {link}',
    join: 'Link do spotkania: {location}',
    where: 'Miejsce: {location}',
    ownerBookedSubject: 'Nowa rezerwacja: {caller}, {when}',
    ownerCancelledSubject: 'Rezerwacja odwołana: {caller}, {when}',
    ownerBooked: 'Nowa rezerwacja rozmowy ({caller}): {when}.',
    ownerCancelled: 'Odwołano rozmowę ({caller}), termin: {when}. Ten termin jest znowu wolny.',
    name: 'Imię i nazwisko',
    email: 'E-mail',
    phone: 'Telefon',
    company: 'Firma',
    notes: 'Notatki',
    callerBookedSubject: 'Potwierdzenie rozmowy: {business}, {when}',
    hello: 'Dzień dobry,',
    callerBooked: 'Potwierdzamy termin rozmowy ({business}): {when}.',
    cancelHere: 'Jeśli termin nie pasuje, można go odwołać tutaj: {link}',
    callerCancelledSubject: 'Rozmowa odwołana: {business}, {when}',
    callerCancelled: 'Rozmowa ({business}) została odwołana. Termin: {when}.',
    newLeadSubject: 'Nowy kontakt ({business}): {name}',
    linkNotValid: 'Nieprawidłowy link',
    notFound: 'Ten link jest nieprawidłowy. Jeśli został skopiowany z e-maila, proszę sprawdzić, czy jest kompletny.',
    alreadyCancelled: 'Rozmowa już odwołana',
    isCancelled: 'Ta rozmowa jest odwołana. Termin: {when}.',
    passedTitle: 'Termin rozmowy minął',
    passed: 'Termin rozmowy: {when}. Rozmowa już się rozpoczęła lub odbyła, więc nie można jej tu odwołać.',
    cancelTitle: 'Odwołać rozmowę?',
    cancelButton: 'Odwołaj tę rozmowę',
    cancelledTitle: 'Rozmowa odwołana',
    cancelledText: 'Rozmowa została odwołana (termin: {when}). Odwołanie trafi też do kalendarza.',
  },
  de: {
    callerName: 'Anrufer',
    someone: 'jemand',
    ownerSummary: 'Gespräch mit {caller}',
    callerSummary: 'Gespräch mit {business}',
    callerDescription: 'Ihr Gespräch mit {business}.',
    toCancel: 'Absagen: {link}',
    join: 'Teilnehmen: {location}',
    where: 'Ort: {location}',
    ownerBookedSubject: 'Neue Buchung: {caller}, {when}',
    ownerCancelledSubject: 'Buchung abgesagt: {caller}, {when}',
    ownerBooked: '{caller} hat ein Gespräch für {when} gebucht.',
    ownerCancelled: '{caller} hat das Gespräch am {when} abgesagt; der Termin ist wieder frei.',
    name: 'Name',
    email: 'E-Mail',
    phone: 'Telefon',
    company: 'Firma',
    notes: 'Notizen',
    callerBookedSubject: 'Ihr Gespräch mit {business}: {when}',
    hello: 'Guten Tag {caller},',
    callerBooked: 'Ihr Gespräch mit {business} ist für {when} gebucht.',
    cancelHere: 'Falls Sie nicht können, sagen Sie hier ab: {link}',
    callerCancelledSubject: 'Abgesagt: Ihr Gespräch mit {business}, {when}',
    callerCancelled: 'Ihr Gespräch mit {business} am {when} ist abgesagt.',
    newLeadSubject: 'Neuer Kontakt für {business}: {name}',
    linkNotValid: 'Link ungültig',
    notFound: 'Dieser Link ist ungültig. Wenn Sie ihn aus einer E-Mail kopiert haben, prüfen Sie, ob er vollständig ist.',
    alreadyCancelled: 'Bereits abgesagt',
    isCancelled: 'Das Gespräch am {when} ist abgesagt.',
    passedTitle: 'Dieses Gespräch ist vorbei',
    passed: 'Das Gespräch am {when} hat bereits begonnen oder stattgefunden und kann hier nicht mehr abgesagt werden.',
    cancelTitle: 'Gespräch absagen?',
    cancelButton: 'Dieses Gespräch absagen',
    cancelledTitle: 'Abgesagt',
    cancelledText: 'Ihr Gespräch am {when} ist abgesagt. Eine Absage ist auf dem Weg in Ihren Kalender.',
  },
  fr: {
    callerName: 'Appelant',
    someone: "quelqu'un",
    ownerSummary: 'Appel avec {caller}',
    callerSummary: 'Appel avec {business}',
    callerDescription: 'Votre appel avec {business}.',
    toCancel: 'Pour annuler : {link}',
    join: 'Rejoindre : {location}',
    where: 'Lieu : {location}',
    ownerBookedSubject: 'Nouvelle réservation : {caller}, {when}',
    ownerCancelledSubject: 'Réservation annulée : {caller}, {when}',
    ownerBooked: '{caller} a réservé un appel pour le {when}.',
    ownerCancelled: "{caller} a annulé l'appel du {when} ; le créneau est de nouveau libre.",
    name: 'Nom',
    email: 'E-mail',
    phone: 'Téléphone',
    company: 'Entreprise',
    notes: 'Notes',
    callerBookedSubject: 'Votre appel avec {business} : {when}',
    hello: 'Bonjour {caller},',
    callerBooked: 'Votre appel avec {business} est prévu le {when}.',
    cancelHere: 'Si vous ne pouvez pas être présent, annulez ici : {link}',
    callerCancelledSubject: 'Annulé : votre appel avec {business}, {when}',
    callerCancelled: 'Votre appel avec {business} du {when} est annulé.',
    newLeadSubject: 'Nouveau contact pour {business} : {name}',
    linkNotValid: 'Lien non valide',
    notFound: "Ce lien n'est pas valide. Si vous l'avez copié depuis un e-mail, vérifiez qu'il est complet.",
    alreadyCancelled: 'Déjà annulé',
    isCancelled: "L'appel du {when} est annulé.",
    passedTitle: 'Cet appel est passé',
    passed: "L'appel du {when} a déjà commencé ou eu lieu ; il ne peut plus être annulé ici.",
    cancelTitle: 'Annuler votre appel ?',
    cancelButton: 'Annuler cet appel',
    cancelledTitle: 'Annulé',
    cancelledText: 'Votre appel du {when} est annulé. Une annulation arrive dans votre agenda.',
  },
  es: {
    callerName: 'Cliente',
    someone: 'alguien',
    ownerSummary: 'Llamada con {caller}',
    callerSummary: 'Llamada con {business}',
    callerDescription: 'Su llamada con {business}.',
    toCancel: 'Para cancelar: {link}',
    join: 'Unirse: {location}',
    where: 'Lugar: {location}',
    ownerBookedSubject: 'Nueva reserva: {caller}, {when}',
    ownerCancelledSubject: 'Reserva cancelada: {caller}, {when}',
    ownerBooked: '{caller} ha reservado una llamada para el {when}.',
    ownerCancelled: '{caller} ha cancelado la llamada del {when}; el hueco vuelve a estar libre.',
    name: 'Nombre',
    email: 'Correo',
    phone: 'Teléfono',
    company: 'Empresa',
    notes: 'Notas',
    callerBookedSubject: 'Su llamada con {business}: {when}',
    hello: 'Hola, {caller}:',
    callerBooked: 'Su llamada con {business} está reservada para el {when}.',
    cancelHere: 'Si no puede asistir, cancele aquí: {link}',
    callerCancelledSubject: 'Cancelada: su llamada con {business}, {when}',
    callerCancelled: 'Su llamada con {business} del {when} está cancelada.',
    newLeadSubject: 'Nuevo contacto para {business}: {name}',
    linkNotValid: 'Enlace no válido',
    notFound: 'Este enlace no es válido. Si lo copió de un correo, compruebe que esté completo.',
    alreadyCancelled: 'Ya cancelada',
    isCancelled: 'La llamada del {when} está cancelada.',
    passedTitle: 'Esta llamada ya pasó',
    passed: 'La llamada del {when} ya ha empezado o ha tenido lugar, así que ya no se puede cancelar aquí.',
    cancelTitle: '¿Cancelar su llamada?',
    cancelButton: 'Cancelar esta llamada',
    cancelledTitle: 'Cancelada',
    cancelledText: 'Su llamada del {when} está cancelada. La cancelación llegará a su calendario.',
  },
  it: {
    callerName: 'Cliente',
    someone: 'qualcuno',
    ownerSummary: 'Chiamata con {caller}',
    callerSummary: 'Chiamata con {business}',
    callerDescription: 'La sua chiamata con {business}.',
    toCancel: 'Per annullare: {link}',
    join: 'Partecipa: {location}',
    where: 'Luogo: {location}',
    ownerBookedSubject: 'Nuova prenotazione: {caller}, {when}',
    ownerCancelledSubject: 'Prenotazione annullata: {caller}, {when}',
    ownerBooked: '{caller} ha prenotato una chiamata per {when}.',
    ownerCancelled: "{caller} ha annullato la chiamata di {when}; l'orario è di nuovo libero.",
    name: 'Nome',
    email: 'Email',
    phone: 'Telefono',
    company: 'Azienda',
    notes: 'Note',
    callerBookedSubject: 'La sua chiamata con {business}: {when}',
    hello: 'Buongiorno {caller},',
    callerBooked: 'La sua chiamata con {business} è prenotata per {when}.',
    cancelHere: 'Se non può partecipare, annulli qui: {link}',
    callerCancelledSubject: 'Annullata: la sua chiamata con {business}, {when}',
    callerCancelled: 'La sua chiamata con {business} di {when} è annullata.',
    newLeadSubject: 'Nuovo contatto per {business}: {name}',
    linkNotValid: 'Link non valido',
    notFound: "Questo link non è valido. Se l'ha copiato da un'email, controlli che sia completo.",
    alreadyCancelled: 'Già annullata',
    isCancelled: 'La chiamata di {when} è annullata.',
    passedTitle: 'Questa chiamata è passata',
    passed: 'La chiamata di {when} è già iniziata o avvenuta, quindi non può più essere annullata qui.',
    cancelTitle: 'Annullare la chiamata?',
    cancelButton: 'Annulla questa chiamata',
    cancelledTitle: 'Annullata',
    cancelledText: 'La sua chiamata di {when} è annullata. Un annullamento sta arrivando nel suo calendario.',
  },
  pt: {
    callerName: 'Cliente',
    someone: 'alguém',
    ownerSummary: 'Chamada com {caller}',
    callerSummary: 'Chamada com {business}',
    callerDescription: 'A sua chamada com {business}.',
    toCancel: 'Para cancelar: {link}',
    join: 'Entrar: {location}',
    where: 'Local: {location}',
    ownerBookedSubject: 'Nova reserva: {caller}, {when}',
    ownerCancelledSubject: 'Reserva cancelada: {caller}, {when}',
    ownerBooked: '{caller} reservou uma chamada para {when}.',
    ownerCancelled: '{caller} cancelou a chamada de {when}; o horário ficou livre.',
    name: 'Nome',
    email: 'E-mail',
    phone: 'Telefone',
    company: 'Empresa',
    notes: 'Notas',
    callerBookedSubject: 'A sua chamada com {business}: {when}',
    hello: 'Olá, {caller},',
    callerBooked: 'A sua chamada com {business} está marcada para {when}.',
    cancelHere: 'Se não puder comparecer, cancele aqui: {link}',
    callerCancelledSubject: 'Cancelada: a sua chamada com {business}, {when}',
    callerCancelled: 'A sua chamada com {business} de {when} foi cancelada.',
    newLeadSubject: 'Novo cliente potencial para {business}: {name}',
    linkNotValid: 'Link inválido',
    notFound: 'Este link não é válido. Se o copiou de um e-mail, verifique se está completo.',
    alreadyCancelled: 'Já cancelada',
    isCancelled: 'A chamada de {when} está cancelada.',
    passedTitle: 'Esta chamada já passou',
    passed: 'A chamada de {when} já começou ou já aconteceu, por isso não pode ser cancelada aqui.',
    cancelTitle: 'Cancelar a sua chamada?',
    cancelButton: 'Cancelar esta chamada',
    cancelledTitle: 'Cancelada',
    cancelledText: 'A sua chamada de {when} foi cancelada. O cancelamento vai chegar ao seu calendário.',
  },
  nl: {
    callerName: 'Beller',
    someone: 'iemand',
    ownerSummary: 'Gesprek met {caller}',
    callerSummary: 'Gesprek met {business}',
    callerDescription: 'Uw gesprek met {business}.',
    toCancel: 'Annuleren: {link}',
    join: 'Deelnemen: {location}',
    where: 'Locatie: {location}',
    ownerBookedSubject: 'Nieuwe boeking: {caller}, {when}',
    ownerCancelledSubject: 'Boeking geannuleerd: {caller}, {when}',
    ownerBooked: '{caller} heeft een gesprek geboekt voor {when}.',
    ownerCancelled: '{caller} heeft het gesprek van {when} geannuleerd; het tijdslot is weer vrij.',
    name: 'Naam',
    email: 'E-mail',
    phone: 'Telefoon',
    company: 'Bedrijf',
    notes: 'Notities',
    callerBookedSubject: 'Uw gesprek met {business}: {when}',
    hello: 'Beste {caller},',
    callerBooked: 'Uw gesprek met {business} staat gepland op {when}.',
    cancelHere: 'Kunt u niet? Annuleer hier: {link}',
    callerCancelledSubject: 'Geannuleerd: uw gesprek met {business}, {when}',
    callerCancelled: 'Uw gesprek met {business} op {when} is geannuleerd.',
    newLeadSubject: 'Nieuwe lead voor {business}: {name}',
    linkNotValid: 'Link ongeldig',
    notFound: 'Deze link is niet geldig. Als u hem uit een e-mail hebt gekopieerd, controleer dan of hij volledig is.',
    alreadyCancelled: 'Al geannuleerd',
    isCancelled: 'Het gesprek van {when} is geannuleerd.',
    passedTitle: 'Dit gesprek is voorbij',
    passed: 'Het gesprek van {when} is al begonnen of heeft al plaatsgevonden en kan hier niet meer worden geannuleerd.',
    cancelTitle: 'Uw gesprek annuleren?',
    cancelButton: 'Dit gesprek annuleren',
    cancelledTitle: 'Geannuleerd',
    cancelledText: 'Uw gesprek van {when} is geannuleerd. Er komt een annulering naar uw agenda.',
  },
};

/** The emails' words in a BCP-47 tag's language, English when Parley has none of its own. */
export function emailWords(tag: string | undefined): EmailWords {
  return TABLES[knownLanguage(tag)];
}

/** The locale dates are written in: the tag itself when Parley speaks its language, else British English (day month year, 24 h). */
export function dateLocale(tag: string | undefined): string {
  const language = knownLanguage(tag);
  if (language === 'en') return 'en-GB';
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([tag!]).length ? tag! : language;
  } catch {
    return language;
  }
}

/** `template` with each `{name}` replaced by its value (unknown names are left as they are). */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (all, name: string) => values[name] ?? all);
}
