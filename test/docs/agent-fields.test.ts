import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { LATENCY_PRESETS } from '../../src/agent/latency-presets.ts';
import { AgentFile } from '../../src/agent/schema.ts';
import { DEFAULT_TOPIC_SIMILARITY } from '../../src/session/guardrails.ts';
import { EVENT_TYPES } from '../../src/util/event-types.ts';
import { schemaFields, type SchemaField } from '../helpers/schema-walk.ts';

// The docs that describe agent.yaml are tested against the zod schema the loader uses: every
// default they state must be the schema's default for that field, and every field of the schema
// must be documented somewhere. A doc that says `topK` (5) while the schema says 4 fails here.

const ROOT = join(import.meta.dirname, '..', '..');
const FIELDS = schemaFields(AgentFile);
// Defaults applied in code rather than by the schema (the field stays optional in agent.yaml's type).
FIELDS.get('guardrails.minSimilarity')!.defaults.add(JSON.stringify(DEFAULT_TOPIC_SIMILARITY));
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
// Docs about agent.yaml; the others (scenario files, the wire protocol, deployment) describe
// other formats whose fields may share a name with an agent field.
const AGENT_DOCS = ['AGENTS.md', 'docs/llms.txt', 'README.md', ...['agent-file', 'safeguards', 'knowledge', 'booking', 'tools', 'widget', 'latency', 'turn-taking', 'phone', 'events', 'voices', 'environment'].map((d) => `docs/${d}.md`)];
const ALL_DOCS = ['AGENTS.md', 'README.md', 'docs/llms.txt', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** The value a doc states as a default, as JSON, or undefined when it is prose ("provider's", "—"). */
function statedValue(raw: string): string | undefined {
  const t = raw.trim();
  const code = /^`([^`]+)`$/.exec(t)?.[1];
  if (code !== undefined) {
    try {
      const v = parse(code) as unknown;
      return v === null || typeof v === 'object' && !Array.isArray(v) ? undefined : JSON.stringify(v);
    } catch {
      return undefined;
    }
  }
  const n = /^(-?\d[\d,]*(?:\.\d+)?) ?(s|ms|MB|KB|chars|characters|turns)?$/.exec(t);
  if (!n) return undefined;
  const value = Number(n[1]!.replace(/,/g, ''));
  if (n[2] === 's') return `s:${value}`; // seconds: read per field (a …Ms field holds milliseconds)
  return JSON.stringify(n[2] === 'MB' ? value * 1024 * 1024 : n[2] === 'KB' ? value * 1024 : value);
}

/** Whether a stated value is one of the field's defaults. */
function isDefault(f: SchemaField, value: string): boolean {
  if (!value.startsWith('s:')) return f.defaults.has(value);
  const sec = Number(value.slice(2));
  return f.defaults.has(JSON.stringify(/Ms$/.test(f.path) ? sec * 1000 : sec));
}

/** The fields a name can mean: a full path, or a field of one of the blocks (or anywhere) ending in it. */
function candidates(name: string, blocks: string[]): SchemaField[] {
  const full = FIELDS.get(name);
  if (full) return [full];
  if (name.includes('.')) return [...FIELDS.values()].filter((f) => f.path.endsWith(`.${name}`) && (!blocks.length || blocks.some((b) => f.path.startsWith(`${b}.`))));
  const inBlocks = [...FIELDS.values()].filter((f) => f.path.endsWith(`.${name}`) && blocks.some((b) => f.path.startsWith(`${b}.`)));
  return inBlocks.length ? inBlocks : [...FIELDS.values()].filter((f) => f.path === name || f.path.endsWith(`.${name}`));
}

interface Claim {
  where: string;
  name: string;
  value: string;
  blocks: string[];
}

/** Every "`field` (default)" a doc states, with the agent.yaml blocks of the section it is in. */
function claims(file: string): Claim[] {
  const out: Claim[] = [];
  let blocks: string[] = [];
  let defaultColumn = -1;
  read(file)
    .split('\n')
    .forEach((line, i) => {
      const where = `${file}:${i + 1}`;
      if (/^#{1,4} /.test(line)) {
        blocks = [...line.matchAll(/`([a-zA-Z]+):?`/g)].map((m) => m[1]!).filter((b) => FIELDS.has(b));
        return;
      }
      if (line.startsWith('|')) {
        const cells = line.split('|').slice(1, -1).map((c) => c.trim());
        if (cells.includes('default')) defaultColumn = cells.indexOf('default');
        else if (defaultColumn > 0 && /^`/.test(cells[0] ?? '')) {
          const value = statedValue(cells[defaultColumn] ?? '');
          if (value !== undefined) for (const m of cells[0]!.matchAll(/`([a-zA-Z.]+)`/g)) out.push({ where, name: m[1]!, value, blocks });
        }
      } else defaultColumn = -1;
      // `field` (4), `field` (default 1), `field` (`true`…), `field` 500 — the value right after the name.
      for (const m of line.matchAll(/`([a-z][a-zA-Z]*(?:\.[a-z][a-zA-Z]*)*)` (?=(?:\((?:default:? )?)?(`[^`]+`|-?\d[\d,]*(?:\.\d+)?(?: ?(?:s|ms|MB|KB)\b)?)(?=[);,.:\s]|$))/g)) {
        const value = statedValue(m[2]!);
        if (value !== undefined) out.push({ where, name: m[1]!, value, blocks });
      }
    });
  return out;
}

describe('docs state the schema’s defaults', () => {
  const all = AGENT_DOCS.flatMap(claims);

  it('finds the defaults the docs state (the reader works)', () => {
    const checked = all.filter((c) => candidates(c.name, c.blocks).some((f) => f.defaults.size));
    assert.ok(checked.length >= 40, `checked only ${checked.length} stated defaults`);
    for (const name of ['topK', 'maxTurnChars', 'stt', 'minEndpointingDelayMs', 'silenceReprompt', 'maxUrlBytes', 'maxToolRounds']) {
      assert.ok(checked.some((c) => c.name.endsWith(name)), `no stated default of ${name} was read`);
    }
  });

  it('every stated default is the schema’s', () => {
    const wrong: string[] = [];
    for (const c of all) {
      const fields = candidates(c.name, c.blocks).filter((f) => f.defaults.size);
      if (!fields.length) continue; // not an agent.yaml field, or one without a default
      if (!fields.some((f) => isDefault(f, c.value))) wrong.push(`${c.where} says ${c.name} defaults to ${c.value}; the schema: ${fields.map((f) => `${f.path} = ${[...f.defaults].join(' or ')}`).join('; ')}`);
    }
    assert.deepEqual(wrong, []);
  });
});

describe('every agent.yaml field is documented', () => {
  it('names each field of the schema in the docs', () => {
    const text = ALL_DOCS.map(read).join('\n');
    const named = new Set([...text.matchAll(/`([^`\n]+)`/g)].flatMap((m) => m[1]!.split(/[^A-Za-z0-9_]+/)));
    for (const m of text.matchAll(/^\s*-?\s*([A-Za-z][A-Za-z0-9_]*):/gm)) named.add(m[1]!); // keys in YAML blocks
    for (const m of text.matchAll(/[{,]\s*([A-Za-z][A-Za-z0-9_]*):/g)) named.add(m[1]!); // keys in flow maps
    const missing = [...FIELDS.keys()].filter((p) => !named.has(p.split('.').at(-1)!));
    assert.deepEqual(missing, [], 'schema fields no doc names');
  });
});

describe('docs/agent-file.md covers every top-level field', () => {
  it('names each top-level field in a section heading or a table row', () => {
    const lines = read('docs/agent-file.md').split('\n');
    const named = new Set(lines.filter((l) => /^#{2,4} /.test(l) || l.startsWith('| `')).flatMap((l) => [...(l.startsWith('|') ? l.split('|')[1]! : l).matchAll(/`([a-zA-Z]+)`/g)].map((m) => m[1]!)));
    const missing = Object.keys(AgentFile.shape).filter((k) => !named.has(k));
    assert.deepEqual(missing, [], 'top-level fields docs/agent-file.md has no heading or row for');
  });
});

describe('the defaults docs name for models and speech', () => {
  it('docs/latency.md’s table is the presets’ models and waits', () => {
    const text = read('docs/latency.md');
    for (const [level, p] of Object.entries(LATENCY_PRESETS)) {
      const row = text.split('\n').find((l) => l.startsWith(`| \`${level}\``));
      assert.ok(row, `no row for ${level}`);
      const cells = row.split('|').slice(1, -1).map((c) => c.trim());
      assert.equal(cells[1], `${p.llm.openai} / ${p.llm.anthropic} / ${p.llm.google} / ${p.llm.groq}`, `${level} models`);
      assert.equal(cells[2], `${p.tts.elevenlabs} / ${p.tts.openai} / ${p.tts.cartesia}`, `${level} voices`);
      assert.equal(cells[3], `${p.stt.deepgram} / ${p.stt.openai}`, `${level} recognisers`);
      assert.equal(cells[4], `${p.turn.minEndpointingDelayMs} / ${p.turn.maxEndpointingDelayMs} ms`, `${level} waits`);
    }
  });

  it('docs/latency.md says what a file that names no model, voice or recogniser gets: the schema’s defaults', () => {
    const text = read('docs/latency.md');
    const d = AgentFile.parse({ persona: { prompt: 'x', firstMessage: 'y' } });
    const m = /nothing\s+written,\s+an\s+agent\s+gets\s+`([^`]+)`,\s+`([^`]+)`\s+and\s+`([^`]+)`/.exec(text);
    assert.ok(m, 'docs/latency.md must say what an agent with no brain.llm, voice.tts, listen.stt gets');
    assert.deepEqual(m.slice(1), [d.brain.llm, d.voice.tts, d.listen.stt]);
    for (const [level, p] of Object.entries(LATENCY_PRESETS)) {
      assert.equal(`${'local'}:${p.tts.local}`, d.voice.tts, `${level}: the preset's local voice is the default`);
      assert.equal(`local:${p.stt.local}`, d.listen.stt, `${level}: the preset's local recogniser is the default`);
      assert.equal(`openai:${p.llm.openai}`, level === 'balanced' ? d.brain.llm : `openai:${p.llm.openai}`);
    }
  });
});

describe('docs do not call built features missing', () => {
  it('"not built" / "not implemented" is said only of what is really missing', () => {
    // The widget, allowedOrigins and limits were once called "not built yet" in AGENTS.md and
    // llms.txt while five other docs said they were; what is missing is named in docs/roadmap.md.
    const wrong: string[] = [];
    for (const file of ALL_DOCS.filter((f) => f !== 'docs/roadmap.md')) {
      read(file)
        .split('\n')
        .forEach((line, i) => {
          if (!/not (yet )?(built|implemented)|not built yet|isn't built|is not built/i.test(line)) return;
          // What is really missing: docs/roadmap.md's list, and the few gaps named where they apply.
          if (/roadmap\.md|where a feature is not built yet|answering-machine detection on that leg/.test(line)) return;
          wrong.push(`${file}:${i + 1}: ${line.trim()}`);
        });
    }
    assert.deepEqual(wrong, []);
  });
});

// Dotted names that start like a block but are events: webhooks' and the conversation record's.
const NOT_FIELDS = new Set<string>([...EVENT_TYPES, 'knowledge.hits']);

describe('docs name only fields agent.yaml has', () => {
  it('every `block.field` path a doc names is a field of the schema', () => {
    const blocks = [...FIELDS.keys()].filter((p) => !p.includes('.'));
    const re = new RegExp(`\`((?:${blocks.join('|')})(?:\\.[A-Za-z0-9_]+)+)`, 'g');
    const wrong: string[] = [];
    for (const file of ALL_DOCS) {
      read(file)
        .split('\n')
        .forEach((line, i) => {
          for (const m of line.matchAll(re)) {
            const path = m[1]!.split('.').filter((s) => !/^\d+$/.test(s)).join('.');
            if (NOT_FIELDS.has(path) || /\.(md|ya?ml|json|txt|ts|js)$/.test(path)) continue; // event names, files
            if (!FIELDS.has(path)) wrong.push(`${file}:${i + 1}: ${m[1]}`);
          }
        });
    }
    assert.deepEqual(wrong, []);
  });
});
