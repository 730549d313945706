import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runParley, tempDir } from '../helpers/cli.ts';

// `parley check` on an agent that answers the phone: a recogniser that cannot hear 8 kHz audio is
// warned about, with the measured number; turn settings that need Flux need Flux.

async function check(body: string, env: NodeJS.ProcessEnv = {}) {
  const dir = tempDir();
  mkdirSync(join(dir, 'knowledge'));
  writeFileSync(join(dir, 'agent.yaml'), `persona:\n  prompt: You help.\n  firstMessage: Hi.\n${body}`);
  return { ...(await runParley(['check', dir], { env })), dir };
}

const PHONE = 'channels:\n  phone:\n    number: "+14155550123"\n';

describe('parley check: listening fit for the phone', () => {
  it('warns when a phone agent listens with local:pocketsphinx, with the measured accuracy', async () => {
    const r = await check(`${PHONE}listen:\n  stt: local:pocketsphinx\n`);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /warning: channels\.phone is set, but the recogniser is local:pocketsphinx, which hears almost nothing of phone audio: 0 % of words right on speech sent through 8 kHz μ-law, against 91 % at 16 kHz/);
    assert.match(r.stdout, /fit for the phone \(deepgram:flux-general-en, deepgram:nova-3 or deepgram:nova-2-phonecall/);
  });

  it('warns too when a cloud recogniser would fall back to pocketsphinx for want of its key', async () => {
    const r = await check(`${PHONE}listen:\n  stt: deepgram:nova-3\n`);
    assert.match(r.stdout, /recogniser is local:pocketsphinx \(deepgram:nova-3 needs DEEPGRAM_API_KEY, which is not set; using local:pocketsphinx\)/);
    assert.match(r.stdout, /Set the key where the server runs so deepgram:nova-3 hears the calls/, 'the fix is the key, not another recogniser');
    const keyed = await check(`${PHONE}listen:\n  stt: deepgram:nova-3\n`, { DEEPGRAM_API_KEY: 'x' });
    assert.doesNotMatch(keyed.stdout, /channels\.phone is set/);
  });

  it('says nothing about phone audio for an agent that is not on the phone', async () => {
    const r = await check('listen:\n  stt: local:pocketsphinx\n');
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /phone/);
  });

  it('refuses detector flux, and Flux settings, without a Flux recogniser', async () => {
    const r = await check('listen:\n  stt: deepgram:nova-3\n  turn:\n    detector: flux\n    flux: { eotThreshold: 0.8 }\n');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /listen\.turn\.detector: flux needs a recogniser that ends turns itself/);
    assert.match(r.stderr, /listen\.turn\.flux: these are Deepgram Flux settings, but listen\.stt is deepgram:nova-3/);
    const ok = await check('listen:\n  stt: deepgram:flux-general-en\n  turn:\n    detector: flux\n    flux: { eotThreshold: 0.8, eagerEotThreshold: 0.5 }\n', { DEEPGRAM_API_KEY: 'x' });
    assert.equal(ok.code, 0, ok.stderr);
  });
});
