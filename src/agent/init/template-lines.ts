// The lines `parley init` writes for a non-English agent: the first message and the widget's
// button label in persona.language, so a Polish agent does not open in English. persona.md stays
// English: it is read by the model, not said to the caller. The English lines are the templates'.
import type { KnownLanguage } from '../../util/language.ts';
import type { TemplateId } from './answers.ts';

/** One template's spoken opening and widget label in one language. */
interface TemplateLines {
  widgetLabel: string;
  firstMessage(business: string, booking: boolean): string;
}

/** The templates' lines per language other than English. */
export const TEMPLATE_LINES: Record<Exclude<KnownLanguage, 'en'>, Record<TemplateId, TemplateLines>> = {
  pl: {
    'sales-booking': {
      widgetLabel: 'Porozmawiaj z nami',
      firstMessage: (b, booking) => `Dzień dobry, tu wirtualny asystent firmy ${b}. Odpowiem na pytania o to, czym się zajmujemy${booking ? ', i umówię bezpłatną rozmowę wstępną' : ''}. W czym mogę pomóc?`,
    },
    support: { widgetLabel: 'Uzyskaj pomoc', firstMessage: (b) => `Dzień dobry, tu pomoc techniczna firmy ${b}. W czym mogę pomóc?` },
    faq: { widgetLabel: 'Zadaj pytanie', firstMessage: (b) => `Dzień dobry! Odpowiem na pytania o firmę ${b}. W czym mogę pomóc?` },
  },
  de: {
    'sales-booking': {
      widgetLabel: 'Sprechen Sie mit uns',
      firstMessage: (b, booking) => `Guten Tag, hier ist der Assistent von ${b}. Ich beantworte Fragen zu unserem Angebot${booking ? ' und vereinbare gern ein kostenloses Erstgespräch' : ''}. Worum geht es bei Ihnen?`,
    },
    support: { widgetLabel: 'Hilfe erhalten', firstMessage: (b) => `Guten Tag, Sie sind beim Support von ${b}. Wobei kann ich helfen?` },
    faq: { widgetLabel: 'Frage stellen', firstMessage: (b) => `Hallo! Ich beantworte Fragen zu ${b}. Was möchten Sie wissen?` },
  },
  fr: {
    'sales-booking': {
      widgetLabel: 'Parlez-nous',
      firstMessage: (b, booking) => `Bonjour, ici l'assistant de ${b}. Je réponds à vos questions sur nos services${booking ? ' et je peux organiser un premier échange gratuit' : ''}. Qu'est-ce qui vous amène ?`,
    },
    support: { widgetLabel: "Obtenir de l'aide", firstMessage: (b) => `Bonjour, vous êtes au support de ${b}. Comment puis-je vous aider ?` },
    faq: { widgetLabel: 'Poser une question', firstMessage: (b) => `Bonjour ! Je réponds aux questions sur ${b}. Que souhaitez-vous savoir ?` },
  },
  es: {
    'sales-booking': {
      widgetLabel: 'Hable con nosotros',
      firstMessage: (b, booking) => `Hola, soy el asistente de ${b}. Puedo responder preguntas sobre lo que hacemos${booking ? ' y organizar una llamada inicial gratuita' : ''}. ¿En qué puedo ayudarle?`,
    },
    support: { widgetLabel: 'Obtener ayuda', firstMessage: (b) => `Hola, ha llamado al soporte de ${b}. ¿En qué puedo ayudarle?` },
    faq: { widgetLabel: 'Hacer una pregunta', firstMessage: (b) => `¡Hola! Puedo responder preguntas sobre ${b}. ¿Qué le gustaría saber?` },
  },
  it: {
    'sales-booking': {
      widgetLabel: 'Parla con noi',
      firstMessage: (b, booking) => `Buongiorno, sono l'assistente di ${b}. Rispondo alle domande su quello che facciamo${booking ? ' e posso fissare una prima chiamata gratuita' : ''}. Come posso aiutarla?`,
    },
    support: { widgetLabel: 'Ricevi assistenza', firstMessage: (b) => `Buongiorno, è in contatto con l'assistenza di ${b}. Come posso aiutarla?` },
    faq: { widgetLabel: 'Fai una domanda', firstMessage: (b) => `Buongiorno! Rispondo alle domande su ${b}. Cosa vorrebbe sapere?` },
  },
  pt: {
    'sales-booking': {
      widgetLabel: 'Fale connosco',
      firstMessage: (b, booking) => `Olá, sou o assistente de ${b}. Posso responder a perguntas sobre o que fazemos${booking ? ' e marcar uma primeira chamada gratuita' : ''}. Em que posso ajudar?`,
    },
    support: { widgetLabel: 'Obter ajuda', firstMessage: (b) => `Olá, está a falar com o apoio ao cliente de ${b}. Em que posso ajudar?` },
    faq: { widgetLabel: 'Fazer uma pergunta', firstMessage: (b) => `Olá! Posso responder a perguntas sobre ${b}. O que gostaria de saber?` },
  },
  nl: {
    'sales-booking': {
      widgetLabel: 'Praat met ons',
      firstMessage: (b, booking) => `Hallo, u spreekt met de assistent van ${b}. Ik beantwoord vragen over wat we doen${booking ? ' en plan graag een gratis kennismakingsgesprek' : ''}. Waarmee kan ik u helpen?`,
    },
    support: { widgetLabel: 'Hulp krijgen', firstMessage: (b) => `Hallo, u spreekt met de klantenservice van ${b}. Waarmee kan ik u helpen?` },
    faq: { widgetLabel: 'Stel een vraag', firstMessage: (b) => `Hallo! Ik beantwoord vragen over ${b}. Wat wilt u weten?` },
  },
};

/** A template's first message and widget label in the agent's language (the template's own in English or an unknown language). */
export function templateLines(template: TemplateLines & { id: TemplateId }, language: KnownLanguage): TemplateLines {
  return language === 'en' ? template : TEMPLATE_LINES[language][template.id];
}
