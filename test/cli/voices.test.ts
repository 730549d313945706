import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFakeCartesia, startFakeElevenLabs, type FakeCartesia, type FakeElevenLabs } from '../../src/testing/index.ts';
import { runParley, tempDir } from '../helpers/cli.ts';

// `parley voices list|clone` as a user runs it, against the ElevenLabs and Cartesia fakes
// (reached through ELEVENLABS_BASE_URL / CARTESIA_BASE_URL) and a stand-in `flite` on PATH.

describe('parley voices', () => {
  let el: FakeElevenLabs;
  let ca: FakeCartesia;
  let bin: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    el = await startFakeElevenLabs({ apiKey: 'xi-cli-key' });
    ca = await startFakeCartesia({ apiKey: 'ca-cli-key' });
    bin = tempDir();
    // `flite -lv` as Debian's flite prints it.
    writeFileSync(join(bin, 'flite'), '#!/bin/sh\n[ "$1" = "-lv" ] && echo "Voices available: kal awb_time kal16 awb rms slt " && exit 0\nexit 1\n');
    chmodSync(join(bin, 'flite'), 0o755);
    env = {
      PATH: `${bin}:${process.env.PATH}`,
      ELEVENLABS_API_KEY: 'xi-cli-key',
      ELEVENLABS_BASE_URL: el.url,
      CARTESIA_API_KEY: 'ca-cli-key',
      CARTESIA_BASE_URL: ca.url,
    };
  });
  after(async () => {
    await el.close();
    await ca.close();
  });

  it('lists every provider: stock and cloned voices, OpenAI’s documented set, and flite’s', async () => {
    const r = await runParley(['voices', 'list'], { env });
    assert.equal(r.code, 0, r.stderr);
    for (const line of [/^elevenlabs /m, /JBFqnCBsd6RMkjVDRZzb\s+George {2}\(multilingual, british, male, middle-aged\)/, /^cartesia /m, /6ccbfb76-1fc6-48f7-b71d-91ac6298247b\s+Tessa {2}\(en, female, cloned\)/, /^openai /m, /^\s+coral\s+coral {2}\(multilingual, female\)$/m, /^\s+ballad\s+ballad {2}\(multilingual, male, only gpt-4o-mini-tts\)$/m, /^local /m, /^\s+slt\s+slt {2}\(en, american, female\)$/m, /^sherpa /m]) {
      assert.match(r.stdout, line);
    }
    assert.doesNotMatch(r.stdout, /from the catalogue/, 'with keys the cloud lists are live');
    assert.equal(el.streams.length, 0, 'listing opens no speech stream');
  });

  it('--provider narrows the list; --json is machine-readable', async () => {
    const r = await runParley(['voices', 'list', '--provider', 'local', '--json'], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).map((v: { id: string }) => v.id), ['kal', 'awb_time', 'kal16', 'awb', 'rms', 'slt']);
    const c = await runParley(['voices', 'list', '--provider', 'cartesia', '--json'], { env });
    assert.deepEqual(JSON.parse(c.stdout)[0], { provider: 'cartesia', id: 'f786b574-daa5-4673-aa0c-cbe3e8534c02', name: 'Katie', language: 'en', gender: 'female', kind: 'stock', source: 'account' });
  });

  it('without keys, finds a voice by accent and gender from the catalogue, saying so', async () => {
    const r = await runParley(['voices', '--provider', 'elevenlabs', '--accent', 'british', '--gender', 'female', '--json'], { env: { PATH: env.PATH } });
    assert.equal(r.code, 0, r.stderr);
    const found = JSON.parse(r.stdout) as { id: string; name: string; accent: string; gender: string; source: string }[];
    assert.ok(found.length >= 2, r.stdout);
    for (const v of found) {
      assert.equal(v.accent, 'british');
      assert.equal(v.gender, 'female');
      assert.equal(v.source, 'catalogue');
      assert.match(v.id, /^[A-Za-z0-9]{20}$/);
    }
    assert.ok(found.some((v) => v.name === 'Alice'));
    assert.match(r.stderr, /no ELEVENLABS_API_KEY here, so these are the stock voices from Parley's catalogue/);
  });

  it('en-GB means English with a British accent; a filter that matches nothing says which', async () => {
    const r = await runParley(['voices', '--language', 'en-GB', '--offline', '--json'], { env });
    assert.equal(r.code, 0, r.stderr);
    const found = JSON.parse(r.stdout) as { provider: string; accent: string; language: string }[];
    assert.deepEqual([...new Set(found.map((v) => v.provider))].sort(), ['cartesia', 'elevenlabs', 'sherpa']);
    assert.ok(found.every((v) => v.accent === 'british' && v.language === 'en'));
    const polish = await runParley(['voices', '--provider', 'openai', '--language', 'pl'], { env });
    assert.equal(polish.code, 0, polish.stderr);
    assert.match(polish.stdout, /coral\s+coral {2}\S*\(multilingual/, 'OpenAI’s voices follow the text: listed for Polish, shown as multilingual');
    assert.doesNotMatch(polish.stdout, /no voices/);
    const none = await runParley(['voices', '--provider', 'openai', '--accent', 'british'], { env });
    assert.equal(none.code, 0);
    assert.match(none.stdout, /no voices with accent british from openai/);
    const bad = await runParley(['voices', '--gender', 'robot'], { env });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown gender "robot"/);
  });

  it('with a key the live list is filtered, labelled from the catalogue where the vendor says less', async () => {
    const r = await runParley(['voices', '--provider', 'elevenlabs', '--accent', 'british', '--json'], { env });
    assert.equal(r.code, 0, r.stderr);
    const found = JSON.parse(r.stdout) as { id: string; source: string }[];
    assert.deepEqual(found.map((v) => [v.id, v.source]), [['JBFqnCBsd6RMkjVDRZzb', 'account']]);
  });

  it('without keys the cloud providers answer from the catalogue; a provider that cannot answer is skipped or an error', async () => {
    const all = await runParley(['voices', 'list'], { env: { PATH: env.PATH } });
    assert.equal(all.code, 0);
    assert.match(all.stderr, /elevenlabs: no ELEVENLABS_API_KEY/);
    assert.match(all.stderr, /cartesia: no CARTESIA_API_KEY/);
    assert.match(all.stdout, /coral/);
    assert.match(all.stdout, /JBFqnCBsd6RMkjVDRZzb\s+George/);
    const noFlite = await runParley(['voices', 'list'], { env: { PATH: tempDir() } });
    assert.equal(noFlite.code, 0);
    assert.match(noFlite.stderr, /local: skipped — .*flite/);
    const unknown = await runParley(['voices', 'list', '--provider', 'polly'], { env });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown provider "polly"/);
  });

  it('a rejected key fails the command with the vendor’s reason, and the key is never printed', async () => {
    const r = await runParley(['voices', 'list', '--provider', 'elevenlabs'], { env: { ...env, ELEVENLABS_API_KEY: 'xi-wrong-key-0000' } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /HTTP 401 Invalid API key — check ELEVENLABS_API_KEY/);
    assert.ok(!(r.stdout + r.stderr).includes('xi-wrong-key-0000'));
  });

  it('without flite, local says how to install it', async () => {
    const r = await runParley(['voices', 'list', '--provider', 'local'], { env: { PATH: tempDir() } });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /local:flite needs the flite program, which is not installed: apt-get install flite/);
  });

  it('clone uploads the recordings and prints the voice id with the agent.yaml lines to paste', async () => {
    const dir = tempDir();
    const a = join(dir, 'take1.wav');
    const b = join(dir, 'take2.mp3');
    writeFileSync(a, Buffer.alloc(2000, 1));
    writeFileSync(b, Buffer.alloc(3000, 2));
    const r = await runParley(['voices', 'clone', '--name', 'Ada Sales', a, b], { env });
    assert.equal(r.code, 0, r.stderr);
    const upload = el.clones.at(-1)!;
    assert.deepEqual(upload.fields, { name: 'Ada Sales' });
    assert.deepEqual(upload.files.map((f) => [f.field, f.filename, f.bytes, f.contentType]), [['files', 'take1.wav', 2000, 'audio/wav'], ['files', 'take2.mp3', 3000, 'audio/mpeg']]);
    const id = el.voices.at(-1)!.voice_id;
    assert.match(r.stdout, new RegExp(`cloned "Ada Sales": voice id ${id}`));
    assert.match(r.stdout, new RegExp(`voice:\\n  tts: elevenlabs:eleven_flash_v2_5\\n  voiceId: ${id}`));
  });

  it('clone checks its files and the key before uploading anything', async () => {
    const before = el.clones.length;
    const missing = await runParley(['voices', 'clone', '--name', 'X', '/nope/take.wav'], { env });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such file: \/nope\/take.wav/);
    const dir = tempDir();
    writeFileSync(join(dir, 'a.wav'), Buffer.alloc(10));
    const nokey = await runParley(['voices', 'clone', '--name', 'X', join(dir, 'a.wav')], { env: { PATH: env.PATH } });
    assert.equal(nokey.code, 2);
    assert.match(nokey.stderr, /voice cloning needs ELEVENLABS_API_KEY/);
    assert.equal(el.clones.length, before);
  });
});
