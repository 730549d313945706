import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { InitAnswersInput } from '../../src/agent/init/answers.ts';
import { FIRST_TEST_WORDS } from '../../src/agent/init/first-test-words.ts';
import { planFromAnswers } from '../../src/agent/init/plan.ts';
import { renderAgentFolder } from '../../src/agent/init/render.ts';
import { askPlanningQuestions, type Prompter } from '../../src/cli/init-wizard.ts';
import { formatOfPath } from '../../src/knowledge/document.ts';
import { PROVIDERS } from '../../src/llm/model.ts';
import { KNOWN_LANGUAGES, knownLanguage } from '../../src/util/language.ts';
import { ROOT, runParley, tempDir } from '../helpers/cli.ts';

// A freshly initialised agent passes its own `parley test` in every language Parley knows, with
// the caller of its tests speaking that language: the time phrase, the spelled read-back and the
// yes in the written scenarios are read by the same code a live conversation goes through.

const BUSINESS = { name: 'Acme Plumbing', description: 'Emergency plumbing and boiler repairs in Leeds.' };

async function initAgent(language: string, template: 'sales-booking' | 'faq'): Promise<string> {
  const dir = join(tempDir(), `${template}-${language}`);
  const file = join(tempDir(), 'answers.json');
  writeFileSync(file, JSON.stringify({ template, business: BUSINESS, persona: { language }, timeZone: 'Europe/Warsaw' }));
  const init = await runParley(['init', '--answers', file, dir, '--yes']);
  assert.equal(init.code, 0, init.stderr);
  return dir;
}

describe('parley init: the first tests in the agent’s language', () => {
  for (const language of [...KNOWN_LANGUAGES, 'pl-PL', 'sv']) {
    it(`a sales agent in ${language} passes its own parley test, the caller speaking ${language}`, async () => {
      const dir = await initAgent(language, 'sales-booking');
      const words = FIRST_TEST_WORDS[knownLanguage(language)];
      assert.ok(readFileSync(join(dir, 'tests/books-a-call.yaml'), 'utf8').includes(words.yes), `the caller says yes in ${language}`);
      assert.ok(readFileSync(join(dir, 'tests/answers-from-documents.yaml'), 'utf8').includes(words.question(BUSINESS.name)));
      const test = await runParley(['test', dir], { env: { PARLEY_DATABASE_URL: `file:${join(tempDir(), 'unused.db')}` } });
      assert.equal(test.code, 0, test.stdout + test.stderr);
      assert.match(test.stdout, /2 scenarios: 2 passed, 0 failed/);
    });
  }
});

/** The files init would write for these answers, by path (the knowledge copies left out). */
function written(answers: InitAnswersInput, dir: string): Map<string, string> {
  const ctx = { cwd: ROOT, dir, schemaRef: '../docs/agent.schema.json', providers: PROVIDERS, defaultTimeZone: 'Europe/Warsaw', readable: (p: string) => formatOfPath(p) !== undefined };
  const r = planFromAnswers(JSON.stringify(answers), 'answers.json', ctx);
  assert.deepEqual(r.problems, []);
  return new Map(renderAgentFolder(r.plan!).flatMap((f) => ('text' in f ? [[f.path, f.text] as [string, string]] : [])));
}

/** A wizard that takes the offered value of every question but those `answers` script, in order. */
function scripted(answers: [RegExp, string][], asked: string[], rejected: string[]): Prompter {
  const next = (message: string) => {
    const i = answers.findIndex(([q]) => q.test(message));
    return i < 0 ? undefined : answers.splice(i, 1)[0]![1];
  };
  return {
    async text(o) {
      asked.push(o.message);
      for (;;) {
        const value = next(o.message) ?? o.initialValue ?? '';
        const problem = o.validate?.(value);
        if (!problem) return value;
        rejected.push(`${value}: ${problem}`);
      }
    },
    async select(o) {
      asked.push(o.message);
      const value = next(o.message) ?? o.initialValue!;
      assert.ok(o.options.some((x) => x.value === value), `${value} is an option of "${o.message}"`);
      return value as never;
    },
  };
}

describe('parley init wizard: the agent’s language', () => {
  const ctx = (dir: string) => ({ cwd: ROOT, dir, defaultTimeZone: 'Europe/Warsaw', providers: Object.keys(PROVIDERS), folderProblem: () => undefined });
  const business: [RegExp, string][] = [[/name\?/, BUSINESS.name], [/one line/, BUSINESS.description]];

  it('offers the languages Parley knows, English first, and writes the agent the answers file would', async () => {
    const dir = join(tempDir(), 'wizard-de');
    let offered: string[] = [];
    const asked: string[] = [];
    const prompter = scripted([...business, [/language/, 'de']], asked, []);
    const select = prompter.select;
    prompter.select = async (o) => {
      if (/language/.test(o.message)) offered = o.options.map((x) => x.value);
      return select(o);
    };
    const got = await askPlanningQuestions(prompter, ctx(dir));
    assert.ok(got);
    assert.deepEqual(offered, [...KNOWN_LANGUAGES, 'other']);
    assert.equal(got.answers.persona?.language, 'de');
    assert.deepEqual(written(got.answers, dir), written({ template: 'sales-booking', business: BUSINESS, persona: { language: 'de' } }, dir));
    assert.match(written(got.answers, dir).get('agent.yaml')!, /Guten Tag, hier ist der Assistent von Acme Plumbing/);
  });

  it('takes a BCP-47 tag typed in, refusing what is not one', async () => {
    const dir = join(tempDir(), 'wizard-pl-pl');
    const rejected: string[] = [];
    const got = await askPlanningQuestions(scripted([...business, [/language/, 'other'], [/BCP-47/, 'po polsku'], [/BCP-47/, 'pl-PL']], [], rejected), ctx(dir));
    assert.ok(got);
    assert.deepEqual(rejected, ['po polsku: a BCP-47 tag like pl-PL or en-GB']);
    assert.equal(got.answers.persona?.language, 'pl-PL');
    assert.deepEqual(written(got.answers, dir), written({ template: 'sales-booking', business: BUSINESS, persona: { language: 'pl-PL' } }, dir));
  });

  it('speaks English unless told otherwise', async () => {
    const dir = join(tempDir(), 'wizard-en');
    const got = await askPlanningQuestions(scripted([...business], [], []), ctx(dir));
    assert.equal(got?.answers.persona?.language, 'en');
    assert.deepEqual(written(got!.answers, dir), written({ template: 'sales-booking', business: BUSINESS }, dir));
  });
});
