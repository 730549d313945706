import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { Temporal } from 'temporal-polyfill';
import type { InitAnswersInput } from '../../src/agent/init/answers.ts';
import { planFromAnswers, planSummary, type InitContext, type InitPlan } from '../../src/agent/init/plan.ts';
import { renderAgentFolder } from '../../src/agent/init/render.ts';
import { TEMPLATES } from '../../src/agent/init/templates.ts';
import { loadAgent } from '../../src/agent/load.ts';
import { secretRefs } from '../../src/agent/secrets.ts';
import { writeAgentFolder } from '../../src/cli/init.ts';
import { askPlanningQuestions, type Prompter } from '../../src/cli/init-wizard.ts';
import { formatOfPath } from '../../src/knowledge/document.ts';
import { PROVIDERS } from '../../src/llm/model.ts';
import { openStore } from '../../src/store/store.ts';
import { startFakeOpenAI, type ChatRequest, type FakeOpenAI } from '../../src/testing/index.ts';
import { ROOT, runParley, tempDir } from '../helpers/cli.ts';

const BUSINESS = { name: 'Acme Plumbing', description: 'Emergency plumbing and boiler repairs in Leeds.' };
const lastToolResult = (r: ChatRequest) => JSON.parse(String(r.messages.filter((m) => m.role === 'tool').at(-1)?.content));
const envNames = (text: string) => [...text.matchAll(/^([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1]).sort();

function answersFile(answers: unknown): string {
  const file = join(tempDir(), 'answers.json');
  writeFileSync(file, JSON.stringify(answers, null, 2));
  return file;
}

function context(dir: string): InitContext {
  return { cwd: ROOT, dir, schemaRef: '../docs/agent.schema.json', providers: PROVIDERS, defaultTimeZone: 'Europe/Warsaw', readable: (p) => formatOfPath(p) !== undefined };
}

function plan(answers: InitAnswersInput, dir = join(tempDir(), 'agent')): InitPlan {
  const r = planFromAnswers(JSON.stringify(answers, null, 2), 'answers.json', context(dir));
  assert.deepEqual(r.problems, []);
  return r.plan!;
}

describe('parley init --answers', () => {
  it('writes calendar.location and calendar.meetingName as given, and parley check accepts the folder', async () => {
    const dir = join(tempDir(), 'rachunek');
    const file = answersFile({
      template: 'sales-booking',
      business: { name: 'Rachunek Plus', description: 'Biuro rachunkowe w Krakowie.' },
      calendar: { provider: 'builtin', location: 'https://meet.google.com/abc-defg-hij', meetingName: 'bezpłatna konsultacja' },
    });
    const r = await runParley(['init', '--answers', file, dir, '--yes']);
    assert.equal(r.code, 0, r.stderr);
    const check = await runParley(['check', dir]);
    assert.equal(check.code, 0, check.stderr);
    const agent = await loadAgent(dir);
    const c = agent.config.calendar;
    assert.equal(c?.provider, 'builtin');
    assert.deepEqual(c?.provider === 'builtin' && [c.location, c.meetingName], ['https://meet.google.com/abc-defg-hij', 'bezpłatna konsultacja']);
  });

  it('writes a folder that passes parley check and its own parley test, with exactly the secrets it uses in .env.example', async () => {
    const docs = tempDir();
    writeFileSync(join(docs, 'prices.md'), '# Prices\n\nA boiler service costs 95 pounds.\n');
    mkdirSync(join(docs, 'faq'));
    writeFileSync(join(docs, 'faq', 'hours.txt'), 'We answer emergency calls around the clock.\n');
    writeFileSync(join(docs, 'faq', 'logo.png'), 'not a document');
    const dir = join(tempDir(), 'acme');
    const file = answersFile({
      template: 'sales-booking',
      business: BUSINESS,
      documents: [join(docs, 'prices.md'), join(docs, 'faq'), 'http://127.0.0.1:9/about'],
      calendar: { provider: 'calcom', eventTypeId: 4242, apiKeyEnv: 'ACME_CAL_KEY' },
      timeZone: 'Europe/London',
      allowedOrigins: ['acme.example', '*.acme.example'],
      limits: { maxMinutes: 5, conversationsPerIpPerHour: 3, dailyBudgetUsd: 2 },
    });

    const r = await runParley(['init', '--answers', file, dir, '--yes']);
    assert.equal(r.code, 0, r.stderr);
    // Older answers-file names still work, each with a warning naming agent.yaml's name.
    assert.match(r.stderr, /^warning: \S*answers\.json:\d+:\d+ limits\.maxMinutes: deprecated name: write limits\.maxDurationSec: 300 instead/m);
    assert.match(r.stderr, /^warning: \S*answers\.json:\d+:\d+ calendar\.apiKeyEnv: deprecated name: write calendar\.apiKey: "\$\{ACME_CAL_KEY\}" instead/m);
    assert.match(r.stderr, /^warning: \S*answers\.json:\d+:\d+ allowedOrigins: deprecated name: write channels\.web\.allowedOrigins instead/m);
    const check = await runParley(['check', dir]);
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stdout, /^ok .*agent "acme"/);

    const yaml = readFileSync(join(dir, 'agent.yaml'), 'utf8');
    const schemaRef = /^# yaml-language-server: \$schema=(\S+)\n/.exec(yaml)?.[1];
    assert.ok(schemaRef, 'the editor header comes first');
    assert.equal(resolve(dir, schemaRef), join(ROOT, 'docs/agent.schema.json'));

    const agent = await loadAgent(dir);
    assert.equal(agent.config.calendar?.provider, 'calcom');
    assert.deepEqual(agent.config.knowledge.sources, ['knowledge/', 'http://127.0.0.1:9/about']);
    assert.equal(agent.config.timeZone, 'Europe/London');
    assert.deepEqual(agent.config.channels.web.allowedOrigins, ['acme.example', '*.acme.example']);
    assert.deepEqual({ ...agent.config.limits }, { ...agent.config.limits, maxDurationSec: 300, conversationsPerIpPerHour: 3, dailyBudgetUsd: 2 });
    assert.equal(readFileSync(join(dir, 'knowledge/prices.md'), 'utf8'), readFileSync(join(docs, 'prices.md'), 'utf8'));
    assert.ok(existsSync(join(dir, 'knowledge/faq/hours.txt')));
    assert.ok(!existsSync(join(dir, 'knowledge/faq/logo.png')), 'a file Parley cannot read is left out');
    assert.match(readFileSync(join(dir, 'knowledge/about.md'), 'utf8'), /Emergency plumbing and boiler repairs in Leeds\./);

    const referenced = new Set(secretRefs(JSON.stringify(agent.config)));
    assert.deepEqual(envNames(readFileSync(join(dir, '.env.example'), 'utf8')), [...new Set([...referenced, 'OPENAI_API_KEY'])].sort());
    assert.deepEqual([...referenced], ['ACME_CAL_KEY']);

    const test = await runParley(['test', dir], { env: { PARLEY_DATABASE_URL: `file:${join(tempDir(), 'unused.db')}` } });
    assert.equal(test.code, 0, test.stdout + test.stderr);
    assert.match(test.stdout, /✓ answers what the business does from its documents/);
    assert.match(test.stdout, /✓ books a call/);
    assert.match(test.stdout, /2 scenarios: 2 passed, 0 failed/);
  });

  it('with the built-in calendar, the written agent books a call in text mode at the right UTC instant', async () => {
    const llm: FakeOpenAI = await startFakeOpenAI();
    try {
      const dir = join(tempDir(), 'kolkata-sales');
      const zone = 'Asia/Kolkata'; // UTC+05:30: a slot at 09:00 there is 03:30 UTC
      const init = await runParley(['init', '--answers', answersFile({ template: 'sales-booking', business: BUSINESS, calendar: { provider: 'builtin' }, timeZone: zone }), dir, '--yes']);
      assert.equal(init.code, 0, init.stderr);

      const offered: { start: string; say: string }[] = [];
      llm.push(
        { toolCalls: [{ name: 'check_availability', args: {} }] },
        (r) => {
          const result = lastToolResult(r);
          assert.equal(result.timeZone, zone);
          offered.push(...result.slots);
          return { text: `I have ${offered[0].say} or ${offered[1].say}. Which suits you?` };
        },
        { text: 'Let me spell that back: J-a-n-e, D-o-e, and j-a-n-e dot d-o-e at a-c-m-e dot i-o. Is that right?' },
        () => ({ toolCalls: [{ name: 'book_call', args: { start: offered[0].start, name: 'Jane Doe', email: 'jane.doe@acme.io', company: 'Acme' } }] }),
        (r) => {
          const result = lastToolResult(r);
          assert.equal(result.booked, true, JSON.stringify(result));
          return { text: `You're booked for ${result.say}.` };
        },
      );
      const db = join(tempDir(), 'parley.db');
      const env = { PARLEY_LLM: 'openai-compatible:fake-model', PARLEY_LLM_BASE_URL: llm.url, PARLEY_DATABASE_URL: `file:${db}` };
      const chat = await runParley(['chat', dir], { env, input: "I'd like to book an intro call.\nThe first one. I'm Jane Doe, jane.doe@acme.io.\nYes, that's right.\n" });
      assert.equal(chat.code, 0, chat.stderr);
      const lines = chat.stdout.trim().split('\n');
      assert.equal(lines[0], (await loadAgent(dir)).config.persona.firstMessage, 'the greeting comes from the written file');
      assert.equal(lines[3], `You're booked for ${offered[0].say}.`);
      assert.equal(llm.pending(), 0);

      const store = await openStore(`file:${db}`);
      const rows = await store.db.selectFrom('bookings').selectAll().where('agent', '=', 'kolkata-sales').execute();
      await store.close();
      assert.equal(rows.length, 1);
      const [row] = rows;
      assert.equal(row.start, offered[0].start, 'the booked instant is the offered one');
      assert.match(row.start, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00Z$/, 'stored as a UTC instant');
      // Business hours are wall-clock time in the business zone, not in UTC.
      const local = Temporal.Instant.from(row.start).toZonedDateTimeISO(zone);
      assert.ok(local.dayOfWeek <= 5, `a weekday in ${zone}: ${local}`);
      assert.ok(local.hour >= 9 && local.hour * 60 + local.minute <= 16 * 60 + 30, `inside 09:00-17:00 in ${zone}: ${local}`);
      assert.equal(Temporal.Instant.from(row.start).toZonedDateTimeISO('UTC').minute, (local.minute + 30) % 60, 'the half-hour offset is applied');
      assert.deepEqual(JSON.parse(row.attendee), { name: 'Jane Doe', email: 'jane.doe@acme.io', timeZone: zone, company: 'Acme', fields: [{ field: 'company', type: 'company', value: 'Acme' }] });

      const id = /conversation ([0-9a-f-]{36})/.exec(chat.stderr)?.[1] as string;
      assert.equal(row.conversation_id, id);
      const rec = JSON.parse((await runParley(['conversations', 'show', id, '--json'], { env })).stdout);
      assert.deepEqual(rec.bookings.map((b: { provider: string; start: string }) => [b.provider, b.start]), [['builtin', row.start]]);
      assert.deepEqual(rec.lead, { name: 'Jane Doe', email: 'jane.doe@acme.io', company: 'Acme' });
    } finally {
      await llm.close();
    }
  });

  it('writes the first message and widget label in persona.language (pl, de), the business name as description, and keeps lines the answers give', async () => {
    const cases = [
      { language: 'pl-PL', business: { name: 'Rachunek Plus', description: 'Biuro rachunkowe w Krakowie.' }, first: /^Dzień dobry, tu wirtualny asystent firmy Rachunek Plus\..*bezpłatną rozmowę wstępną.*W czym mogę pomóc\?$/, label: 'Porozmawiaj z nami' },
      { language: 'de-DE', business: { name: 'Kanzlei Weber', description: 'Steuerkanzlei in München.' }, first: /^Guten Tag, hier ist der Assistent von Kanzlei Weber\..*kostenloses Erstgespräch.*Worum geht es bei Ihnen\?$/, label: 'Sprechen Sie mit uns' },
    ];
    for (const c of cases) {
      const dir = join(tempDir(), 'agent');
      const r = await runParley(['init', '--answers', answersFile({ template: 'sales-booking', business: c.business, persona: { language: c.language } }), dir, '--yes']);
      assert.equal(r.code, 0, r.stderr);
      const agent = await loadAgent(dir);
      assert.match(agent.config.persona.firstMessage, c.first, c.language);
      assert.equal(agent.config.channels.web.widget?.label, c.label, c.language);
      assert.equal(agent.config.description, c.business.name, 'description is the business name e-mails and invitations show');
      assert.doesNotMatch(readFileSync(join(dir, 'agent.yaml'), 'utf8'), /Talk to us|What brings you here/, 'no English template line is left');
    }
    // Every shipped language has its own lines for every template; an English agent keeps the template's.
    const langs = ['pl', 'de', 'fr', 'es', 'it', 'pt', 'nl'];
    for (const template of ['sales-booking', 'support', 'faq'] as const) {
      const en = plan({ template, business: BUSINESS });
      assert.equal(en.firstMessage, TEMPLATES[template].firstMessage(BUSINESS.name, template === 'sales-booking'));
      assert.equal(en.widget.label, TEMPLATES[template].widgetLabel);
      const seen = new Set([en.firstMessage]);
      for (const language of langs) {
        const p = plan({ template, business: BUSINESS, persona: { language } });
        assert.ok(p.firstMessage.includes(BUSINESS.name), `${template} ${language}: ${p.firstMessage}`);
        assert.notEqual(p.widget.label, en.widget.label, `${template} ${language}`);
        assert.ok(!seen.has(p.firstMessage), `${template} ${language} repeats another language's line`);
        seen.add(p.firstMessage);
      }
    }
    // A language Parley has no lines for gets English's; the answers' own lines always win.
    assert.equal(plan({ template: 'faq', business: BUSINESS, persona: { language: 'cs-CZ' } }).widget.label, TEMPLATES.faq.widgetLabel);
    const own = plan({ template: 'faq', business: BUSINESS, persona: { language: 'pl', firstMessage: 'Cześć!' }, channels: { web: { widget: { label: 'Pytaj' } } } });
    assert.deepEqual([own.firstMessage, own.widget.label], ['Cześć!', 'Pytaj']);
  });

  it('names every field that is wrong, with its line, and writes nothing', async () => {
    const dir = join(tempDir(), 'broken');
    const file = answersFile({
      template: 'sales',
      business: { name: 'Acme' },
      calendar: { provider: 'calcom' },
      timeZone: 'Mars/Olympus',
      widget: { color: 'blue' },
      limits: { maxMinutes: -1 },
      colour: '#fff',
    });
    const r = await runParley(['init', '--answers', file, dir, '--yes']);
    assert.equal(r.code, 1);
    const problems = r.stderr.trim().split('\n').slice(0, -1);
    for (const field of ['template', 'business.description', 'calendar.eventTypeId', 'timeZone', 'widget.color', 'limits.maxMinutes', 'colour']) {
      assert.ok(problems.some((p) => p.startsWith(`${file}:`) && new RegExp(`^\\S+:\\d+:\\d+ ${field.replace('.', '\\.')}: `).test(p)), `${field} in:\n${r.stderr}`);
    }
    assert.match(r.stderr, /calendar\.eventTypeId: cal\.com needs the numeric id of the event type/);
    assert.match(r.stderr, /timeZone: not an IANA time zone/);
    assert.match(r.stderr, /colour: unknown field "colour"/);
    assert.match(r.stderr, /nothing was written/);
    assert.ok(!existsSync(dir));

    // What only the plan can know: the model provider and the documents on disk.
    const second = await runParley(['init', '--answers', answersFile({ template: 'faq', business: BUSINESS, model: 'openia:gpt-4.1-mini', documents: ['no/such/file.md'] }), dir, '--yes']);
    assert.equal(second.code, 1);
    assert.match(second.stderr, /:\d+:\d+ model: unknown model provider "openia"/);
    assert.match(second.stderr, /:\d+:\d+ documents\.0: no such file or folder/);
    assert.ok(!existsSync(dir));
  });

  it('refuses to write into a folder that is not empty, unless --force', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const file = answersFile({ template: 'faq', business: BUSINESS });
    const refused = await runParley(['init', '--answers', file, dir, '--yes']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /refusing to write: .* is not empty; .*--force/);
    assert.ok(!existsSync(join(dir, 'agent.yaml')));

    const forced = await runParley(['init', '--answers', file, dir, '--yes', '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.ok(existsSync(join(dir, 'agent.yaml')));
    assert.equal(readFileSync(join(dir, 'notes.txt'), 'utf8'), 'mine', 'files init does not write are left alone');
  });

  it('shows the plan before writing and writes only when it is approved', async () => {
    const dir = join(tempDir(), 'approved-agent');
    const file = answersFile({ template: 'support', business: BUSINESS, timeZone: 'America/New_York' });

    const declined = await runParley(['init', '--answers', file, dir], { input: 'n\n' });
    assert.equal(declined.code, 1);
    assert.match(declined.stdout, /The plan\n/);
    assert.match(declined.stdout, /Time zone\s+America\/New_York/);
    assert.match(declined.stdout, /Write 5 files to .*\? \[y\/N\]/);
    assert.match(declined.stderr, /not approved; nothing was written/);
    assert.ok(!existsSync(dir));

    const accepted = await runParley(['init', '--answers', file, dir], { input: 'yes\n' });
    assert.equal(accepted.code, 0, accepted.stderr);
    assert.ok(accepted.stdout.indexOf('The plan') < accepted.stdout.indexOf('Wrote 5 files'), accepted.stdout);
    assert.ok(existsSync(join(dir, 'agent.yaml')));
  });
});

describe('init: plan, summary, rendering and wizard', () => {
  it('the summary states every planned decision before anything is written', () => {
    const dir = join(tempDir(), 'acme');
    const p = plan({
      template: 'sales-booking',
      business: BUSINESS,
      calendar: { provider: 'calcom', eventTypeId: 12345 },
      timeZone: 'Europe/London',
      voice: { tts: 'elevenlabs:eleven_flash_v2_5', voiceId: 'Rachel' },
      allowedOrigins: ['acme.example'],
      widget: { color: '#0f766e', position: 'bottom-left' },
      limits: { maxMinutes: 8, conversationsPerIpPerHour: 4, dailyBudgetUsd: 3 },
    }, dir);
    const files = renderAgentFolder(p).map((f) => f.path);
    const summary = planSummary(p, files, { cwd: dir });
    for (const line of [
      /^Agent\s+acme — Sales/m,
      /^Calendar\s+cal\.com event type 12345, API key from \$CALCOM_API_KEY$/m,
      /^Time zone\s+Europe\/London/m,
      /^Voice\s+elevenlabs:eleven_flash_v2_5, voice Rachel; tone: warm, concise/m,
      /^First message\s+"Hi, this is the assistant of Acme Plumbing\. .*set up a free intro call/m,
      /^Collects\s+name, email, company and problem$/m,
      /^Model\s+openai:gpt-4\.1-mini$/m,
      /^Widget\s+#0f766e, bottom-left, "Talk to us"$/m,
      /^Embeds on\s+acme\.example$/m,
      /^Limits\s+8 min per conversation, 4 conversations per IP per hour, \$3 a day$/m,
      /^Secrets\s+OPENAI_API_KEY, ELEVENLABS_API_KEY, CALCOM_API_KEY/m,
      /^ {2}tests\/books-a-call\.yaml$/m,
    ]) assert.match(summary, line);
    assert.match(planSummary(plan({ template: 'faq', business: BUSINESS }), [], { cwd: dir }), /^Embeds on\s+no site yet/m);
  });

  it('every template with every calendar renders an agent the loader and the scenario checks accept', async () => {
    for (const template of ['sales-booking', 'support', 'faq'] as const) {
      for (const calendar of [{ provider: 'builtin' }, { provider: 'calcom', eventTypeId: 7 }, { provider: 'calendly', eventType: 'https://api.calendly.com/event_types/abc' }, { provider: 'none' }] as const) {
        const dir = join(tempDir(), `${template}-agent`);
        const p = plan({ template, business: BUSINESS, calendar }, dir);
        await writeAgentFolder(p, renderAgentFolder(p)); // validates with loadAgent and the scenario parser first
        const agent = await loadAgent(dir);
        const persona = readFileSync(join(dir, 'persona.md'), 'utf8');
        assert.match(persona, /Acme Plumbing/);
        assert.match(persona, new RegExp(`How you sound: ${agent.config.persona.tone}`));
        assert.equal(/book_call/.test(persona), calendar.provider !== 'none', `${template}/${calendar.provider}: booking rules only with a calendar`);
        assert.equal(existsSync(join(dir, 'tests/books-a-call.yaml')), calendar.provider !== 'none');
        const referenced = secretRefs(JSON.stringify(agent.config));
        assert.deepEqual(envNames(readFileSync(join(dir, '.env.example'), 'utf8')), [...new Set([...referenced, 'OPENAI_API_KEY'])].sort(), `${template}/${calendar.provider}`);
      }
    }
  });

  it('a template that writes an invalid agent fails loudly and writes nothing', async () => {
    const dir = join(tempDir(), 'broken-template');
    const zoneless = { ...plan({ template: 'faq', business: BUSINESS }, dir), timeZone: 'Mars/Olympus' };
    await assert.rejects(writeAgentFolder(zoneless, renderAgentFolder(zoneless)), (e: Error) => {
      assert.match(e.message, /a bug in the faq template; nothing was written/);
      assert.match(e.message, new RegExp(`${dir.replace(/[/\\]/g, '.')}.agent\\.yaml:\\d+:\\d+ timeZone: not an IANA time zone`));
      return true;
    });
    const unlisted = { ...plan({ template: 'sales-booking', business: BUSINESS, calendar: { provider: 'calcom', eventTypeId: 7 } }, dir), env: [] };
    await assert.rejects(writeAgentFolder(unlisted, renderAgentFolder(unlisted)), /agent\.yaml uses \$\{CALCOM_API_KEY\} but \.env\.example does not list it/);
    assert.ok(!existsSync(dir));
  });

  it('the wizard asks every planning question, checks answers as they are typed, and returns answers the plan accepts', async () => {
    const KEEP = Symbol('keep the offered value');
    const script: (string | symbol)[] = [
      'sales-booking', 'Acme Plumbing', 'Emergency plumbing in Leeds.', 'en', '',
      'calcom', 'twelve', '12345', KEEP,
      'Mars/Olympus', 'Europe/London',
      KEEP, '', KEEP, KEEP, KEEP,
      'blue', '#0f766e', 'bottom-left', KEEP,
      'https://www.acme.example/contact, *.acme.example',
      KEEP, KEEP, '3',
      'openia:gpt-5', KEEP,
    ];
    const asked: string[] = [];
    const rejected: string[] = [];
    const prompter: Prompter = {
      async text(o) {
        asked.push(o.message);
        for (;;) {
          const next = script.shift();
          assert.ok(next !== undefined, `no scripted answer for "${o.message}"`);
          const value = next === KEEP ? (o.initialValue ?? '') : (next as string);
          const problem = o.validate?.(value);
          if (!problem) return value;
          rejected.push(`${o.message} ← ${value}: ${problem}`);
        }
      },
      async select(o) {
        asked.push(o.message);
        const next = script.shift() as string;
        assert.ok(o.options.some((x) => x.value === next), `${next} is an option of "${o.message}"`);
        return next as never;
      },
    };
    const dir = join(tempDir(), 'wizard-agent');
    const got = await askPlanningQuestions(prompter, { cwd: ROOT, dir, defaultTimeZone: 'Europe/Warsaw', providers: Object.keys(PROVIDERS), folderProblem: () => undefined });
    assert.ok(got);
    assert.equal(script.length, 0, 'every scripted answer was used');
    assert.ok(!existsSync(dir), 'asking writes nothing');
    for (const topic of [/for\?/, /name/, /one line/, /language/, /Documents/, /calendar/, /event type id/, /API key/, /time zone/, /provider:model/, /Tone/, /First message/, /collect/, /colour/, /position/, /label/, /embed/, /minutes/, /per hour/, /budget/, /model/]) {
      assert.ok(asked.some((m) => topic.test(m)), `asks about ${topic}`);
    }
    assert.equal(rejected.length, 4, rejected.join('\n'));
    assert.match(rejected.join('\n'), /twelve: a number/);
    assert.match(rejected.join('\n'), /Mars\/Olympus: not an IANA time zone/);
    assert.match(rejected.join('\n'), /blue: use a hex colour/);
    assert.match(rejected.join('\n'), /openia:gpt-5: unknown provider/);

    const p = plan(got.answers, dir);
    assert.deepEqual(p.calendar, { provider: 'calcom', eventTypeId: 12345, apiKeyEnv: 'CALCOM_API_KEY' });
    assert.equal(p.timeZone, 'Europe/London');
    assert.deepEqual(p.allowedOrigins, ['www.acme.example', '*.acme.example'], 'pasted URLs become hosts');
    assert.deepEqual(p.widget, { color: '#0f766e', position: 'bottom-left', label: 'Talk to us' });
    assert.deepEqual(p.limits, { maxDurationSec: 600, conversationsPerIpPerHour: 10, dailyBudgetUsd: 3 });
    assert.deepEqual(p.collect, ['name', 'email', 'company', 'problem']);
    assert.equal(p.firstMessage, 'Hi, this is the assistant of Acme Plumbing. I can answer questions about what we do and set up a free intro call. What brings you here today?');
  });

  it('cancelling the wizard returns nothing to write', async () => {
    const cancel = Symbol('clack:cancel');
    const script: (string | symbol)[] = ['support', 'Acme Plumbing', 'Emergency plumbing in Leeds.', 'en', '', cancel];
    const prompter: Prompter = {
      text: async () => script.shift()!,
      select: async () => script.shift() as never,
    };
    const dir = join(tempDir(), 'cancelled');
    const got = await askPlanningQuestions(prompter, { cwd: ROOT, dir, defaultTimeZone: 'UTC', providers: ['openai'], folderProblem: () => undefined });
    assert.equal(got, undefined);
    assert.equal(script.length, 0, 'it stopped at the cancelled question');
    assert.ok(!existsSync(dir));
  });
});
