import { Temporal } from 'temporal-polyfill';
import { stringify } from 'yaml';
import { knownLanguage } from '../../util/language.ts';
import { FIRST_TEST_WORDS } from './first-test-words.ts';
import type { InitPlan } from './plan.ts';

// The scenarios `parley init` writes into tests/, in the format `parley test` runs
// (docs/testing-agents.md). They are scripted — the model's replies are in the file — so they
// pass with no API key and keep passing in CI while the owner changes the agent around them.

/** A fixed Monday morning in the business zone: "tomorrow afternoon" always means the same Tuesday. */
const NOW = '2027-01-11 10:00';
const TOMORROW = '2027-01-12';
const CALLER = { name: 'Jane Doe', email: 'jane@example.com' };

/** The scenario files for a plan, the caller speaking the agent's language (English where Parley has no words for it): a grounded answer always, a booking when the agent has a calendar. */
export function firstTests(plan: InitPlan): { path: string; text: string }[] {
  const tests = [{ path: 'tests/answers-from-documents.yaml', text: scenarioYaml(knowledgeScenario(plan)) }];
  if (plan.calendar.provider !== 'none') tests.push({ path: 'tests/books-a-call.yaml', text: scenarioYaml(bookingScenario(plan)) });
  return tests;
}

function knowledgeScenario(plan: InitPlan): Record<string, unknown> {
  const { name, description } = plan.business;
  const words = FIRST_TEST_WORDS[knownLanguage(plan.language)];
  return {
    name: 'answers what the business does from its documents',
    description: `The question reaches the model with knowledge/about.md, and ${plan.strictKnowledge ? 'the strict gate lets it through because the documents cover it' : 'the model answers from it'}.`,
    caller: {
      turns: [{ say: words.question(name), expect: { documents: 'about.md', declined: false, says: literal(name) } }],
    },
    model: { script: [{ text: `${name}: ${description}` }] },
    ...(plan.calendar.provider === 'none' ? {} : { expect: { toolNotCalled: 'book_call' } }),
  };
}

function bookingScenario(plan: InitPlan): Record<string, unknown> {
  const zone = plan.timeZone;
  const words = FIRST_TEST_WORDS[knownLanguage(plan.language)];
  // How the agent reads them back; book_call refuses until a caller "yes" follows a turn like this.
  const spelled = `J-a-n-e, D-o-e, j-a-n-e ${words.at} e-x-a-m-p-l-e ${words.dot} com`;
  const at = (hhmm: string) => Temporal.PlainDateTime.from(`${TOMORROW}T${hhmm}`).toZonedDateTime(zone).toInstant().toString();
  return {
    name: 'books a call',
    description: `check_availability offers the stub calendar's times, the name and email are spelled back and confirmed, and book_call books 15:00 in ${zone}.`,
    caller: {
      turns: [
        { say: words.askToBook, expect: { toolCalled: 'check_availability', says: words.slot } },
        { say: words.pick(CALLER.name, CALLER.email), expect: { toolNotCalled: 'book_call', says: 'J-a-n-e' } },
        { say: words.yes, expect: { toolCalled: { name: 'book_call', result: { booked: true } } } },
      ],
    },
    model: {
      script: [
        { toolCalls: [{ name: 'check_availability', args: { when: words.when } }] },
        { text: words.offer },
        { text: words.spellBack(spelled) },
        { toolCalls: [{ name: 'book_call', args: { start: at('15:00'), name: CALLER.name, email: CALLER.email } }] },
        { text: words.booked },
      ],
    },
    stubs: { calendar: { slots: [`${TOMORROW} 15:00`, `${TOMORROW} 15:30`], slotMinutes: 30 }, now: NOW },
    expect: {
      booking: { localTime: `${TOMORROW} 15:00`, attendee: { name: CALLER.name, email: CALLER.email } },
      collected: { name: CALLER.name, email: CALLER.email },
    },
  };
}

function scenarioYaml(scenario: Record<string, unknown>): string {
  return `# Run with: parley test <agent-dir>   (format: docs/testing-agents.md)\n# Scripted: the model's replies are below, so it runs without an API key.\n${stringify(scenario, { lineWidth: 0 })}`;
}

/** A scenario pattern that matches `text` literally, even when it starts with "/" (which would make it a regex). */
function literal(text: string): string {
  return text.startsWith('/') ? `/${text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/i` : text;
}
