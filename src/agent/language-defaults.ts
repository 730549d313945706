import { knownLanguage, type KnownLanguage } from '../util/language.ts';
import type { AgentFileData } from './schema.ts';

// Lines an agent says by default, in its persona.language: a Polish agent's strict "I don't
// know" is Polish unless the owner wrote their own. The English line is the schema's default.

/** `knowledge.unknownAnswer` when the file sets none, per language. */
export const UNKNOWN_ANSWERS: Record<Exclude<KnownLanguage, 'en'>, string> = {
  pl: 'Nie mam tego w naszych materiałach, więc nie będę zgadywać. Mogę umówić krótką rozmowę z kimś, kto na to odpowie. Czy to pomoże?',
  de: 'Das steht nicht in unseren Unterlagen, deshalb rate ich lieber nicht. Ich kann ein kurzes Gespräch mit jemandem vereinbaren, der das beantworten kann. Wäre das hilfreich?',
  fr: "Je n'ai pas cette information dans nos documents, je préfère ne pas deviner. Je peux organiser un court appel avec quelqu'un qui pourra vous répondre. Cela vous aiderait-il ?",
  es: 'No tengo eso en nuestros materiales, así que prefiero no adivinar. Puedo organizar una breve llamada con alguien que pueda responderle. ¿Le ayudaría?',
  it: "Non ho questa informazione nei nostri materiali, quindi preferisco non tirare a indovinare. Posso fissare una breve chiamata con qualcuno che possa risponderle. Le sarebbe utile?",
  pt: 'Não tenho isso nos nossos materiais, por isso prefiro não adivinhar. Posso marcar uma chamada curta com alguém que possa responder. Isso ajudaria?',
  nl: 'Dat staat niet in onze documenten, dus ik ga niet gokken. Ik kan een kort gesprek inplannen met iemand die het kan beantwoorden. Zou dat helpen?',
};

/** The config with the default lines in the agent's language where the file (`raw`, as written) left them out. */
export function applyLanguageDefaults(config: AgentFileData, raw: unknown): AgentFileData {
  const language = knownLanguage(config.persona.language);
  const written = (raw as { knowledge?: { unknownAnswer?: unknown } } | undefined)?.knowledge?.unknownAnswer;
  if (language === 'en' || written !== undefined) return config;
  return { ...config, knowledge: { ...config.knowledge, unknownAnswer: UNKNOWN_ANSWERS[language] } };
}
