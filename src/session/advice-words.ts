// The built-in guarded topics (medical, legal, financial) in the languages other than English:
// each topic's words, the words or phrases that ask for the advice on their own, the ways of
// asking for advice, and the fixed lines said instead. English's (guardrails.ts) apply in every
// language too: a caller may say "should I" to a Polish agent.
import type { KnownLanguage } from '../util/language.ts';

/** One built-in topic in one language. */
export interface TopicWords {
  /** Words of the topic, space-separated; a turn needs one of them and a way of asking for advice. */
  words: string;
  /** Words that ask for the advice on their own, space-separated. */
  strong?: string;
  /** Phrases that ask for the advice on their own ("co mi grozi"), alternatives separated by " | ". */
  strongPhrases?: string;
  say: string;
}

/** A language's words for the built-in topics, its ways of asking for advice, and the line for an owner's topic. */
export interface AdviceWords {
  /** Ways of asking for advice, alternatives separated by " | " (a "|" inside a group has no spaces). */
  asking: string;
  topics: Record<'medical' | 'legal' | 'financial', TopicWords>;
  /** What an owner's topic without `say` answers. */
  otherSay: string;
}

/** The advice words per language (English's are in guardrails.ts). */
export const ADVICE_WORDS: Record<Exclude<KnownLanguage, 'en'>, AdviceWords> = {
  pl: {
    asking: `czy (?:muszę|musimy|musi|trzeba|powinienem|powinnam|powinniśmy|powinien|powinna|warto|opłaca się|opłaci się|lepiej|należy)
      | czy (?:mogę|możemy|można)(?! (?:się )?(?:umówić|spotkać|zapisać|zarezerwować|zapłacić|przyjść|przyjechać|przesłać|wysłać|dostarczyć|porozmawiać))
      | czy to (?:normalne|groźne|poważne|niebezpieczne|bezpieczne|legalne|dozwolone|zgodne z prawem|się opłaca)
      | czy (?:mam|mamy) prawo | czy (?:należy|przysługuje) (?:mi|nam) | co (?:mi|nam) grozi | co (?:mam|mamy|powinienem|powinnam|powinniśmy) (?:zrobić|robić|brać|wziąć|zażyć|wybrać)
      | co (?:pan|pani) (?:radzi|poleca) | co (?:radzicie|polecacie|byście radzili|by pan radził|by pani radziła) | (?:radzi|poleca) pan | (?:radzi|poleca) pani
      | czy (?:mam|mamy) (?:płacić|zapłacić|odprowadzać|odprowadzić|rozliczać|rozliczyć|doliczać|doliczyć|składać|złożyć|wykazać|wykazywać|odliczać|odliczyć)
      | jakie (?:mam|mamy) prawa | jak (?:(?:mogę|można|mam|możemy) )?(?:odliczyć|uniknąć|zaoszczędzić|płacić mniej|zapłacić mniej|obniżyć|zmniejszyć)
      | powinienem | powinnam | powinniśmy | opłaca się | opłaci się | co mi jest | co to może być | czy to może być
      | (?:żeby|aby|by) (?:\\S+ ){0,3}(?:nie (?:płacić|płacił|płaciła|płacili|zapłacić|zapłacił|zapłaciła)|(?:płacić|płacił|płaciła|zapłacić|zapłacił|zapłaciła) mniej|mniej (?:płacić|płacił|płaciła|zapłacić|zapłacił|zapłaciła)|zaoszczędzić|oszczędzić)
      | (?:lepsz\\p{L}*|korzystniejsz\\p{L}*|opłacalniejsz\\p{L}*|bardziej opłacaln\\p{L}*) (?:\\S+ ){0,8}niż | (?:lepsz\\p{L}*|korzystniejsz\\p{L}*|opłacalniejsz\\p{L}*|bardziej opłacaln\\p{L}*) (?:\\S+ ){0,3}od
      | (?:co|który|która|które|którą|którego|której|jaki|jaka|jakie|jaką) (?:\\S+ ){0,6}(?:lepsz\\p{L}*|korzystniejsz\\p{L}*|opłacalniejsz\\p{L}*|bardziej opłacaln\\p{L}*)
      | czy (?!(?:macie|masz|mają|ma|oferujecie|dostanę|dostać)\\s)(?:\\S+ ){0,3}(?:lepsz\\p{L}*|korzystniejsz\\p{L}*|opłacalniejsz\\p{L}*|bardziej opłacaln\\p{L}*) | co (?:\\S+ ){0,2}lepiej
      | czy (?:się )?kwalifikuj\\p{L}* | czy (?:mi|nam) (?:przysługuje|przysługują|należy się) | czy spełniam (?:warunki|kryteria)
      | się (?:opłaca|opłaci|opłacało|opłacałoby) | (?:opłaca|opłaci|opłacało|opłacałoby) (?:mi|nam|to) się | czy (?:to )?(?:jest )?opłacalne
      | czy (?:mam|mamy) (?:\\S+ )?(?:przejść|wybrać|zmienić|założyć|zamknąć|zawiesić)`,
    topics: {
      medical: {
        words: `ból bólu bóle boli bolą bolało objaw objawy objawów lek leki leków lekarstwo lekarstwa tabletka tabletki tabletek dawka dawki dawkowanie
          gorączka gorączkę gorączki infekcja infekcję infekcji antybiotyk antybiotyki antybiotyku ciąża ciąży ciążę alergia alergię alergii uczulenie
          uczulony uczulona ciśnienie ciśnienia cukrzyca cukrzycę krwawi krwawienie opuchlizna spuchnięty spuchnięta wysypka wysypkę zawroty migrena migreny
          choroba choroby chory chora ibuprofen paracetamol aspiryna`,
        strong: 'zdiagnozować diagnoza diagnozę diagnozy przedawkowanie przedawkować',
        strongPhrases: 'co mi jest | co to może być',
        say: 'Nie mogę udzielać porad medycznych. Proszę porozmawiać z lekarzem lub farmaceutą, a w nagłym przypadku zadzwonić pod numer alarmowy 112. Chętnie pomogę w sprawach naszych usług albo umówię wizytę.',
      },
      legal: {
        words: `prawo prawa prawem prawny prawna prawne prawnie prawnik prawnika adwokat adwokata radca radcy sąd sądu sądzie sądowy sądowa pozew pozwu
          odpowiedzialność odpowiedzialności odszkodowanie odszkodowania rozwód rozwodu alimenty eksmisja spadek spadku testament kara kary karę mandat grzywna
          wiza wizy kontrola kontroli urząd skarbowy legalne legalnie nielegalne`,
        strong: 'pozwać pozwę zaskarżyć',
        strongPhrases: 'co (?:mi|nam|mu|jej) grozi | jakie (?:mam|mamy) prawa',
        say: 'Nie mogę udzielać porad prawnych; w tej sprawie najlepiej zwrócić się do prawnika. Chętnie pomogę we wszystkim, co dotyczy naszych usług.',
      },
      financial: {
        words: `podatek podatku podatki podatków podatkiem podatkowy podatkowa podatkowe opodatkowanie opodatkowania vat pit cit zus składka składki składek
          odliczyć odliczenie odliczenia odliczać ulga ulgi ulgę ryczałt ryczałtu liniowy spółka spółkę spółki spółką działalność działalności
          inwestować inwestycja inwestycje inwestycji akcje akcji obligacje fundusz funduszu kredyt kredytu pożyczka pożyczkę hipoteka hipotekę
          emerytura emerytury emeryturę oszczędności lokata lokatę kryptowaluty bitcoin`,
        // Choosing a tax form, putting a purchase "w koszty", paying less tax: advice on their own.
        // "ile kosztuje…", "jakie są koszty…" and "czy mogę zapłacić kartą" stay prices and payments.
        strongPhrases: `(?:jaki|jaką|który|którą) (?:podatek|formę opodatkowania|rodzaj opodatkowania|opodatkowanie) (?:\\S+ )?(?:wybrać|wybierać|jest (?:lepszy|lepsza|korzystniejszy|korzystniejsza))
          | (?:liniowy|liniówka|liniówkę|ryczałt|skala|skalę|skali) czy (?:liniowy|liniówka|liniówkę|ryczałt|ryczałtu|skala|skalę|skali)
          | (?:wrzucić|wrzucać|wliczyć|wliczać|zaliczyć|zaliczać|zaksięgować|księgować|wpisać|wpisywać|odliczyć|odliczać) (?:\\S+ ){0,3}(?:w koszty|do kosztów)
          | (?:zapłacić|płacić) mniej (?:podatku|podatków|zus|składek)`,
        say: 'Nie mogę udzielać porad podatkowych ani finansowych przez telefon; to temat na spotkanie z naszym specjalistą. Chętnie pomogę we wszystkim, co dotyczy naszych usług, albo umówię takie spotkanie.',
      },
    },
    otherSay: 'W tej sprawie nie mogę tutaj pomóc. Chętnie pomogę we wszystkim, co dotyczy naszych usług.',
  },
  de: {
    asking: `soll ich | sollte ich | sollten wir | muss ich | müssen wir | brauche ich | darf ich | kann ich (?:absetzen|abziehen|nehmen|einnehmen)
      | würden sie (?:empfehlen|raten) | was (?:soll|kann|muss) ich (?:tun|machen|nehmen) | ist (?:das|es) (?:normal|gefährlich|sicher|legal|erlaubt|schlimm|sinnvoll)
      | lohnt (?:es )?sich | was sind meine rechte | welche rechte habe ich | habe ich (?:das recht|anspruch) | was droht mir
      | damit (?:ich|wir) (?:\\S+ ){0,3}(?:weniger|nicht so viel|keine) | weniger (?:\\S+ )?(?:zahlen|bezahlen|zahle|bezahle) | (?:besser|günstiger|vorteilhafter|sinnvoller|lohnender) (?:\\S+ ){0,6}als
      | (?:was|welche\\p{L}*) (?:\\S+ ){0,6}(?:besser|vorteilhafter|sinnvoller) | kann ich (?:\\S+ ){0,4}(?:absetzen|abziehen|geltend machen|abschreiben)
      | bin ich (?:\\S+ )?(?:berechtigt|förderberechtigt|anspruchsberechtigt) | komme ich (?:\\S+ ){0,3}in frage
      | (?:ist es|wäre es|ist das|wäre das|was ist) (?:\\S+ )?(?:besser|günstiger für mich|sinnvoller) | (?:lohnt|rentiert|rechnet) (?:es |das )?sich | zahlt (?:es|das) sich aus`,
    topics: {
      medical: {
        words: `schmerz schmerzen weh symptom symptome fieber infektion entzündung blutung blutet medikament medikamente tablette tabletten dosis ibuprofen
          paracetamol aspirin schwanger schwangerschaft allergie allergisch blutdruck diabetes schwindelig kopfschmerzen migräne krankheit krank`,
        strong: 'diagnose diagnostizieren rezept verschreiben überdosis',
        say: 'Ich kann keine medizinische Beratung geben. Bitte wenden Sie sich an einen Arzt oder eine Apotheke, im Notfall an die 112. Bei allem rund um unsere Leistungen oder einen Termin helfe ich gern.',
      },
      legal: {
        words: 'recht rechte rechtlich gesetz gesetzlich anwalt anwältin gericht klage haftung haftbar scheidung sorgerecht kündigung räumung visum urheberrecht marke',
        strong: 'verklagen',
        strongPhrases: 'was droht mir',
        say: 'Ich kann keine Rechtsberatung geben; dafür ist eine Anwältin oder ein Anwalt die richtige Adresse. Bei allem rund um unsere Leistungen helfe ich gern.',
      },
      financial: {
        words: `steuer steuern steuerlich mehrwertsteuer umsatzsteuer finanzamt investieren investition aktien aktie geldanlage rente altersvorsorge kredit
          darlehen hypothek sparen ersparnisse krypto bitcoin fonds absetzen gmbh steuererklärung einkommensteuer`,
        strongPhrases: 'weniger steuern (?:zahlen|bezahlen) | steuern sparen | (?:als betriebsausgabe|von der steuer) (?:absetzen|abziehen|geltend machen)',
        say: 'Ich kann keine Finanz- oder Steuerberatung geben; dafür ist eine unabhängige Beratung die richtige Adresse. Bei allem rund um unsere Leistungen helfe ich gern.',
      },
    },
    otherSay: 'Dabei kann ich hier leider nicht helfen. Bei allem rund um unsere Leistungen helfe ich gern.',
  },
  fr: {
    asking: `est ce que je dois | dois je | je dois | faut il | devrais je | je devrais | est ce que je devrais | puis je (?:déduire|prendre)
      | est ce (?:normal|grave|dangereux|légal|sûr) | cest (?:normal|grave|dangereux|légal) | vaut il mieux | ça vaut le coup | est ce rentable
      | quels sont mes droits | ai je le droit | me conseillez vous | vous me conseillez | que (?:dois|devrais) je faire | quest ce que je risque
      | pour (?:\\S+ ){0,2}(?:payer moins|moins payer|ne pas payer|économiser) | payer moins | (?:mieux|plus avantageu\\p{L}*|plus intéressant\\p{L}*|préférable|plus rentable) (?:\\S+ ){0,6}que
      | (?:quest ce qui|qui|quel|quelle|quels|quelles|lequel|laquelle) (?:\\S+ ){0,4}(?:mieux|plus avantageu\\p{L}*|préférable|plus intéressant\\p{L}*|plus rentable)
      | (?:puis je|est ce que je peux|je peux|peut on|est ce quon peut) (?:\\S+ ){0,3}(?:déduire|défiscaliser) | ai je droit | (?:suis je|je suis) éligible
      | (?:est ce que cest|cest|est ce|serait ce) (?:mieux|plus avantageux|préférable) | (?:ça|cela) vaut (?:le coup|la peine) | cest rentable`,
    topics: {
      medical: {
        words: `douleur douleurs mal symptôme symptômes fièvre infection saigne saignement médicament médicaments comprimé comprimés dose enceinte grossesse
          allergie allergique tension diabète vertige vertiges migraine maladie malade`,
        strong: 'diagnostic diagnostiquer ordonnance prescrire surdose',
        say: "Je ne peux pas donner de conseil médical. Adressez-vous à un médecin ou à un pharmacien, ou appelez le 112 en cas d'urgence. Je peux vous aider pour tout ce qui concerne nos services ou un rendez-vous.",
      },
      legal: {
        words: 'droit droits légal légalement loi lois avocat tribunal procès responsabilité responsable divorce garde expulsion visa',
        strong: 'poursuivre',
        strongPhrases: 'quest ce que je risque',
        say: "Je ne peux pas donner de conseil juridique ; un avocat pourra vous aider. Je peux vous aider pour tout ce qui concerne nos services.",
      },
      financial: {
        words: `impôt impôts impot impots tva fiscal fiscale fiscalité taxe taxes investir investissement actions bourse retraite crédit prêt hypothèque
          épargne crypto bitcoin déduire déduction société`,
        strongPhrases: 'payer moins dimpôts? | payer moins dimpots? | passer (?:\\S+ ){0,3}en (?:frais|charges)',
        say: "Je ne peux pas donner de conseil financier ou fiscal ; un conseiller indépendant pourra vous aider. Je peux vous aider pour tout ce qui concerne nos services.",
      },
    },
    otherSay: "Je ne peux pas vous aider sur ce point ici. Je peux vous aider pour tout ce qui concerne nos services.",
  },
  es: {
    asking: `debo | debería | deberia | tengo que | tendría que | hace falta | me conviene | conviene | vale la pena | puedo (?:deducir|desgravar|tomar)
      | es (?:normal|grave|peligroso|seguro|legal) | qué (?:debo|debería|puedo) hacer | qué me recomienda | me recomienda | cuáles son mis derechos
      | tengo derecho | qué me puede pasar
      | para (?:\\S+ ){0,2}(?:pagar menos|no pagar|ahorrar) | pagar menos | mejor (?:\\S+ ){0,6}que
      | (?:cuál|cuáles|qué) (?:\\S+ ){0,4}(?:mejor|más conveniente|más ventajos\\p{L}*|conviene más) | puedo (?:\\S+ ){0,3}(?:deducir|desgravar)
      | cumplo (?:con )?(?:los )?requisitos | soy elegible | (?:es|sería) mejor | más (?:conveniente|ventajoso|ventajosa|rentable)
      | merece la pena | sale a cuenta | compensa | es rentable`,
    topics: {
      medical: {
        words: `dolor duele síntoma síntomas fiebre infección sangra sangrado medicamento medicamentos pastilla pastillas dosis embarazada embarazo alergia
          alérgico presión diabetes mareo migraña enfermedad enfermo`,
        strong: 'diagnóstico diagnosticar receta recetar sobredosis',
        say: 'No puedo dar consejo médico. Hable con un médico o un farmacéutico, o llame al 112 si es urgente. Con gusto le ayudo con nuestros servicios o con una cita.',
      },
      legal: {
        words: 'legal legalmente ley leyes abogado tribunal juicio demanda derechos responsabilidad divorcio custodia desahucio visado',
        strong: 'demandar',
        strongPhrases: 'qué me puede pasar',
        say: 'No puedo dar asesoramiento legal; un abogado puede ayudarle con eso. Con gusto le ayudo con todo lo relacionado con nuestros servicios.',
      },
      financial: {
        words: `impuesto impuestos iva hacienda fiscal invertir inversión acciones bolsa pensión jubilación hipoteca préstamo crédito ahorros cripto bitcoin
          deducir desgravar autónomo sociedad`,
        strongPhrases: 'pagar menos impuestos | (?:deducir|desgravar|meter|poner) (?:\\S+ ){0,3}como gasto',
        say: 'No puedo dar asesoramiento financiero ni fiscal; un asesor independiente puede ayudarle. Con gusto le ayudo con todo lo relacionado con nuestros servicios.',
      },
    },
    otherSay: 'En eso no puedo ayudarle aquí. Con gusto le ayudo con todo lo relacionado con nuestros servicios.',
  },
  it: {
    asking: `devo | dovrei | conviene | mi conviene | vale la pena | posso (?:detrarre|dedurre|prendere) | è (?:normale|grave|pericoloso|sicuro|legale)
      | cosa (?:devo|dovrei|posso) fare | mi consiglia | cosa mi consiglia | quali sono i miei diritti | ho diritto | cosa rischio
      | per (?:\\S+ ){0,2}(?:pagare meno|non pagare|risparmiare) | pagare meno | (?:meglio|migliore|più convenient\\p{L}*) (?:\\S+ ){0,6}(?:di|che|del|della|dello|dei|delle|rispetto)
      | (?:cosa|quale|quali) (?:\\S+ ){0,4}(?:meglio|migliore|più convenient\\p{L}*) | posso (?:\\S+ ){0,3}(?:detrarre|dedurre|scaricare) | sono idone\\p{L}* | (?:è|sarebbe) meglio
      | più convenient[ei] | ne vale la pena | è redditizio`,
    topics: {
      medical: {
        words: `dolore male sintomo sintomi febbre infezione sanguina farmaco farmaci medicina pastiglia dose incinta gravidanza allergia pressione diabete
          vertigini emicrania malattia malato`,
        strong: 'diagnosi diagnosticare ricetta prescrivere overdose',
        say: "Non posso dare consigli medici. Si rivolga a un medico o a un farmacista, o chiami il 112 se è urgente. Posso aiutarla volentieri con i nostri servizi o con un appuntamento.",
      },
      legal: {
        words: 'legale legalmente legge avvocato tribunale causa diritti responsabilità divorzio affidamento sfratto visto',
        strong: 'denunciare',
        strongPhrases: 'cosa rischio',
        say: "Non posso dare consulenza legale; un avvocato può aiutarla. Posso aiutarla volentieri con tutto ciò che riguarda i nostri servizi.",
      },
      financial: {
        words: `tasse tassa imposte iva fisco fiscale investire investimento azioni borsa pensione mutuo prestito risparmi cripto bitcoin detrarre dedurre
          società`,
        strongPhrases: 'pagare meno (?:tasse|imposte) | scaricare (?:\\S+ ){0,3}(?:come spesa|dalle tasse|tra le spese)',
        say: "Non posso dare consulenza finanziaria o fiscale; un consulente indipendente può aiutarla. Posso aiutarla volentieri con tutto ciò che riguarda i nostri servizi.",
      },
    },
    otherSay: "Su questo non posso aiutarla qui. Posso aiutarla volentieri con tutto ciò che riguarda i nostri servizi.",
  },
  pt: {
    asking: `devo | deveria | tenho que | vale a pena | compensa | posso (?:deduzir|tomar) | é (?:normal|grave|perigoso|seguro|legal)
      | o que (?:devo|deveria|posso) fazer | o que (?:me )?recomenda | quais são os meus direitos | quais sao os meus direitos | tenho direito
      | o que me pode acontecer
      | para (?:\\S+ ){0,2}(?:pagar menos|não pagar|poupar|economizar) | pagar menos | melhor (?:\\S+ ){0,6}(?:do que|que)
      | (?:qual|quais|o que) (?:\\S+ ){0,4}(?:melhor|mais vantajos\\p{L}*|compensa mais) | posso (?:\\S+ ){0,3}deduzir | sou elegível | (?:é|seria) melhor | mais vantajos[oa]
      | é rentável`,
    topics: {
      medical: {
        words: `dor dói sintoma sintomas febre infecção sangra sangramento medicamento remédio comprimido dose grávida gravidez alergia pressão diabetes
          tontura enxaqueca doença doente`,
        strong: 'diagnóstico diagnosticar receita receitar overdose',
        say: 'Não posso dar aconselhamento médico. Fale com um médico ou farmacêutico, ou ligue para o número de emergência se for urgente. Posso ajudar com os nossos serviços ou com uma marcação.',
      },
      legal: {
        words: 'legal legalmente lei advogado tribunal processo direitos responsabilidade divórcio guarda despejo visto',
        strong: 'processar',
        strongPhrases: 'o que me pode acontecer',
        say: 'Não posso dar aconselhamento jurídico; um advogado pode ajudar com isso. Posso ajudar com tudo o que diz respeito aos nossos serviços.',
      },
      financial: {
        words: `imposto impostos iva irs fiscal investir investimento ações bolsa reforma aposentadoria hipoteca empréstimo crédito poupança cripto bitcoin
          deduzir empresa`,
        strongPhrases: 'pagar menos impostos | (?:deduzir|lançar) (?:\\S+ ){0,3}como despesa',
        say: 'Não posso dar aconselhamento financeiro ou fiscal; um consultor independente pode ajudar. Posso ajudar com tudo o que diz respeito aos nossos serviços.',
      },
    },
    otherSay: 'Não posso ajudar com isso aqui. Posso ajudar com tudo o que diz respeito aos nossos serviços.',
  },
  nl: {
    asking: `moet ik | moeten wij | moeten we | zou ik | zouden we | mag ik | kan ik (?:aftrekken|nemen|innemen)
      | is (?:het|dit|dat) (?:normaal|gevaarlijk|veilig|legaal|erg|verstandig) | loont het | is het de moeite | wat (?:moet|kan|zou) ik (?:doen|nemen)
      | wat raadt u aan | raadt u aan | wat zijn mijn rechten | heb ik recht op | wat riskeer ik
      | zodat (?:ik|we|wij) (?:\\S+ ){0,2}minder | om minder (?:\\S+ )?te betalen | minder (?:\\S+ )?betalen | (?:beter|voordeliger|gunstiger) (?:\\S+ ){0,6}dan
      | (?:wat|welke|welk) (?:\\S+ ){0,4}(?:beter|voordeliger|gunstiger) | kan ik (?:\\S+ ){0,6}aftrekken | kom ik (?:\\S+ ){0,4}in aanmerking | is het beter
      | (?:is|wat is) (?:\\S+ ){0,2}voordeliger | loont het | rendabel | levert het (?:wat|iets) op`,
    topics: {
      medical: {
        words: `pijn klachten symptoom symptomen koorts infectie bloeding bloedt medicijn medicijnen pil pillen tablet dosis zwanger zwangerschap allergie
          allergisch bloeddruk diabetes duizelig hoofdpijn migraine ziekte ziek`,
        strong: 'diagnose diagnosticeren recept voorschrijven overdosis',
        say: 'Ik kan geen medisch advies geven. Neem contact op met een arts of apotheker, of bel 112 als het dringend is. Ik help u graag met onze diensten of een afspraak.',
      },
      legal: {
        words: 'juridisch wettelijk wet advocaat rechter rechtbank rechten aansprakelijk aansprakelijkheid scheiding voogdij huisuitzetting visum',
        strong: 'aanklagen',
        strongPhrases: 'wat riskeer ik',
        say: 'Ik kan geen juridisch advies geven; een advocaat kan u daarmee helpen. Ik help u graag met alles over onze diensten.',
      },
      financial: {
        words: 'belasting belastingen btw fiscaal beleggen investeren investering aandelen pensioen hypotheek lening sparen spaargeld crypto bitcoin aftrekken',
        strongPhrases: 'minder belasting betalen | (?:aftrekken|opvoeren) als (?:zakelijke )?kosten',
        say: 'Ik kan geen financieel of fiscaal advies geven; een onafhankelijk adviseur kan u helpen. Ik help u graag met alles over onze diensten.',
      },
    },
    otherSay: 'Daar kan ik u hier niet mee helpen. Ik help u graag met alles over onze diensten.',
  },
};
