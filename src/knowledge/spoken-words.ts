// Function words and spoken filler of the languages other than English: like English's (terms.ts,
// caller-query.ts) they appear around every question and in no answer, so retrieval drops them.
// A caller of a non-English agent may still say an English word, so English's lists apply too.
import type { KnownLanguage } from '../util/language.ts';

const list = (words: string) => new Set(words.split(/\s+/).filter(Boolean));

/** Function words, question words and asking verbs per language (words under three letters are dropped anyway). */
const STOP: Record<Exclude<KnownLanguage, 'en'>, Set<string>> = {
  pl: list(`
    czy jak jaki jaka jakie jakich jakiej jakim kto kogo komu kim czym czego co coś cos ile ilu gdzie kiedy dlaczego czemu
    który która które którego której którym których jest są był była było będzie będą być mam masz ma mamy macie mają
    mogę może możemy możecie mogą można moglibyśmy mógłbym mogłabym chcę chce chcemy chcecie chciałbym chciałabym
    się sie nie tak też tez już juz jeszcze tylko bardzo może to ten ta te tego tej tym tych temu tam tutaj tu
    dla przez przy pod nad przed po od do bez dla oraz lub albo ale aby żeby zeby jeśli jesli gdy bo więc wiec
    mnie mi mój moja moje mojego moim nasz nasza nasze naszego wasz wasza wasze waszego waszej waszym wam was wy
    pan pani państwo panu pana proszę prosze dziękuję dziekuje powiedzieć powiedzieć powiedz wiedzieć
    wie wiem wiecie dobry dobra dobrze witam cześć jakoś trochę troche coś jakiś jakąś jakas jakis tego także takze oczywiście właśnie wlasnie
    jakimi jaką którą skąd dokąd moglibyście robicie oferujecie jestem jesteś jesteśmy chciałem chciałam`),
  de: list(`
    der die das den dem des ein eine einen einem einer eines und oder aber auch noch nur schon sehr mit von bei aus
    nach vor für fur über uber unter zum zur ist sind war waren wird werden bin bist hat habe haben hast habt kann
    kannst können konnen könnte konnte möchte mochte möchten will wollen muss müssen soll sollte ich mir mich du dir
    dich wir uns ihr euch sie ihnen ihr ihre ihren mein meine meinen unser unsere euer eure wie was wann warum wer wen
    wem wessen welche welcher welches wieviel wieviele viel viele gibt gibt's gibts nicht kein keine keinen bitte danke
    mal denn doch etwa eigentlich also gerne gern hallo guten sagen wissen
    woher wohin weshalb wieso welchen welchem man könnt darf brauche braucht bietet bieten machen macht hätte wollte frage fragen`),
  fr: list(`
    les des une est sont était etait être etre avez avons ont ai peux peut pouvez pouvons puis veux veut voulez
    voudrais voudrions dois doit devez faut que qui quoi quel quelle quels quelles combien quand comment pourquoi
    est-ce estce pour par avec sans dans sur sous chez entre aux du de la le un vous nous ils elles mon ma mes ton votre
    vos notre nos leur leurs ce cet cette ces ça ca cela ici aussi encore très tres bien alors donc mais ou et ne pas plus
    merci bonjour svp s'il plait dire savoir
    quest cest faites proposez jaimerais moi suis`),
  es: list(`
    los las una unos unas del con por para sin sobre entre que qué quien quién quienes cual cuál cuales cuánto cuanto
    cuánta cuanta cuántos cuantos cuándo cuando dónde donde cómo como por qué porque está esta están estan son ser
    estar hay tiene tienen tienes tengo tenemos puedo puede pueden podemos podría podria quiero quisiera querría
    necesito debo debe usted ustedes vosotros nosotros ellos ellas mis sus nuestro nuestra vuestro vuestra este esta
    estos estas eso esto aquí aqui también tambien muy más mas pero gracias hola favor decir saber
    quiénes quienes cuáles cuántas cuantas adónde podrían hacen ofrecen gustaría estoy`),
  it: list(`
    gli delle degli della dello dei del nel nella con per tra fra una uno che chi cosa quale quali quanto quanta quanti
    quante quando dove come perché perche sono siete è era essere avete abbiamo hanno ho posso può puo potete possiamo
    potrei vorrei voglio volete devo deve dovrei c'è ce vostro vostra vostri vostre nostro nostra mio mia miei suo sua
    questo questa questi queste quello quella anche molto più piu ma grazie ciao buongiorno favore dire sapere
    fate offrite`),
  pt: list(`
    os as uma uns umas dos das com por para sem sobre entre que quem qual quais quanto quanta quantos quantas quando
    onde como porque porquê por que está esta estão estao são sao ser estar tem têm tenho temos posso pode podem
    podemos poderia quero queria gostaria preciso devo deve você voce vocês voces nós nos eles elas meu minha seu sua
    nosso nossa este esta isto isso aqui também tambem muito mais mas obrigado obrigada olá ola favor dizer saber
    fazem oferecem diga estou`),
  nl: list(`
    de het een en of maar ook nog al wel niet geen met van voor naar bij uit aan over onder tot om op in is zijn was
    waren wordt worden ben bent heb hebt heeft hebben kan kun kunt kunnen zou zouden wil wilt willen moet moeten mag
    ik mij me mijn jij je jou jouw u uw wij we ons onze jullie zij ze hun hoe wat wanneer waar waarom wie welke
    hoeveel dit dat deze die daar hier er erg heel bedankt dank hallo graag alstublieft zeggen weten
    welk doen doet bieden weet`),
};

/** Spoken filler per language: carries nothing in any question. */
const FILLER: Record<Exclude<KnownLanguage, 'en'>, Set<string>> = {
  pl: list('yyy eee emm hmm no dobra okej ok aha acha właściwie wlasnie generalnie czyli znaczy mianowicie jakby powiedzmy tam'),
  de: list('ähm äh ehm hm na also naja okay ok genau halt eben quasi sozusagen irgendwie'),
  fr: list('euh bah ben hein bon alors voilà voila genre enfin bref okay ok'),
  es: list('eh este pues bueno vale okay ok oye mira tipo vamos'),
  it: list('ehm eh cioè cioe allora beh boh dunque tipo insomma okay ok'),
  pt: list('hum ééé tipo então entao bom olha pois okay ok né ne'),
  nl: list('eh ehm uh nou dus zeg okay ok oké hè gewoon eigenlijk even'),
};

/** Whether a lower-case word is a function word of the language (not English's: terms.ts has those). */
export function isLanguageStopWord(word: string, language: KnownLanguage): boolean {
  return language !== 'en' && STOP[language].has(word);
}

/** Whether a lower-case word is spoken filler in the language (not English's: caller-query.ts has those). */
export function isLanguageFiller(word: string, language: KnownLanguage): boolean {
  return language !== 'en' && FILLER[language].has(word);
}
