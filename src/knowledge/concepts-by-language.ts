// The built-in concepts' words in the other languages Parley knows, for the questions every small
// business is asked (price, payment, hours, place, duration, booking a visit, contact): merged
// into the English groups of vocabulary.ts for an agent in that language, stemmed in it.
import type { KnownLanguage } from '../util/language.ts';

/** Concept name → extra words, per language (English's are in vocabulary.ts). */
export const CONCEPTS_BY_LANGUAGE: Partial<Record<KnownLanguage, Record<string, string>>> = {
  pl: {
    price: 'cena ceny cenę cennik cennika koszt koszty kosztuje kosztują kosztów opłata opłaty opłatę drogo tanio tani tania taniej złotych zł netto brutto stawka stawki',
    payment: 'płatność płatności płacić zapłacić karta kartą kartę gotówka gotówką przelew przelewem faktura faktury fakturę blik raty',
    hours: 'otwarte otwarci czynne czynni czynny godziny otwarcia sobota soboty niedziela niedziele weekend weekendy zamknięte',
    location: 'gdzie adres adresu biuro biura siedziba siedziby parking dojazd dojechać znajduje mieści',
    duration: 'długo trwa trwać czas czasu dni tygodnie tydzień miesiąc miesiące godzina godzinę szybko',
    visit: 'wizyta wizytę spotkanie spotkania konsultacja konsultację rozmowa rozmowę termin terminu',
    contact: 'telefon telefonu numer zadzwonić kontakt kontaktu mail email mejl',
  },
  de: {
    price: 'preis preise kosten kostet gebühr gebühren teuer günstig billig euro betrag tarif honorar',
    payment: 'zahlung zahlungen zahlen bezahlen karte kreditkarte bar überweisung rechnung rechnungen raten',
    hours: 'geöffnet öffnungszeiten offen geschlossen samstag sonntag wochenende',
    location: 'wo adresse büro standort parkplatz parken anfahrt',
    duration: 'lange dauer dauert zeit tage woche wochen monat monate stunde schnell',
    visit: 'termin besuch beratung gespräch',
    contact: 'telefon nummer anrufen kontakt email mail',
  },
  fr: {
    price: 'prix tarif tarifs coût coûte coûtent cher frais montant devis euros',
    payment: 'paiement payer carte espèces virement facture factures',
    hours: 'ouvert ouverts ouverture horaires fermé samedi dimanche weekend',
    location: 'où adresse bureau locaux parking accès',
    duration: 'combien temps durée dure jours semaine semaines mois heure rapidement',
  },
  es: {
    price: 'precio precios tarifa tarifas coste costo cuesta cuestan caro barato importe presupuesto euros',
    payment: 'pago pagos pagar tarjeta efectivo transferencia factura facturas',
    hours: 'abierto abiertos horario horarios cerrado sábado domingo fin',
    location: 'dónde dirección oficina oficinas aparcamiento parking',
    duration: 'tiempo dura duración días semana semanas mes meses hora rápido',
  },
  it: {
    price: 'prezzo prezzi tariffa tariffe costo costi costa caro economico importo preventivo euro',
    payment: 'pagamento pagamenti pagare carta contanti bonifico fattura fatture',
    hours: 'aperto aperti orari orario chiuso sabato domenica',
    location: 'dove indirizzo ufficio sede parcheggio',
    duration: 'tempo dura durata giorni settimana settimane mese mesi ora veloce',
  },
  pt: {
    price: 'preço preços tarifa custo custos custa caro barato valor orçamento euros reais',
    payment: 'pagamento pagamentos pagar cartão dinheiro transferência fatura faturas',
    hours: 'aberto abertos horário horários fechado sábado domingo',
    location: 'onde endereço morada escritório estacionamento',
    duration: 'tempo demora duração dias semana semanas mês meses hora rápido',
  },
  nl: {
    price: 'prijs prijzen tarief tarieven kosten kost duur goedkoop bedrag offerte euro',
    payment: 'betaling betalingen betalen pinnen kaart contant overboeking factuur facturen',
    hours: 'open geopend openingstijden gesloten zaterdag zondag weekend',
    location: 'waar adres kantoor locatie parkeren parkeerplaats',
    duration: 'lang duurt duur tijd dagen week weken maand maanden uur snel',
  },
};
