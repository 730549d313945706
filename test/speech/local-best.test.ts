import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { bestLocalSpeech, speechEngine, speechSpecProblem } from '../../src/speech/registry.ts';
import { tempDir } from '../helpers/cli.ts';

// Speech with no keys: `local:best` is a pulled sherpa-onnx model when there is one, else flite /
// pocketsphinx; a cloud voice whose key is not set gives way to it, saying so.

describe('local:best and keyless speech', () => {
  it('picks flite and pocketsphinx when no sherpa model has been pulled', () => {
    const env = { PARLEY_MODELS_DIR: tempDir() };
    assert.equal(bestLocalSpeech('tts', env), 'local:flite');
    assert.equal(bestLocalSpeech('stt', env), 'local:pocketsphinx');
    assert.deepEqual(speechEngine('local:best', 'tts', env), { spec: 'local:flite' });
  });

  it('picks the best pulled sherpa model', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'vits-piper-en_US-amy-low'));
    mkdirSync(join(dir, 'sherpa-onnx-whisper-tiny.en'));
    const env = { PARLEY_MODELS_DIR: dir };
    assert.equal(bestLocalSpeech('tts', env), 'sherpa:vits-piper-en_US-amy-low');
    assert.equal(bestLocalSpeech('stt', env), 'sherpa:sherpa-onnx-whisper-tiny.en');
    mkdirSync(join(dir, 'sherpa-onnx-streaming-zipformer-en-2023-06-26'));
    assert.equal(bestLocalSpeech('stt', env), 'sherpa:sherpa-onnx-streaming-zipformer-en-2023-06-26');
  });

  it('a cloud engine without its key gives way to the best local one, with a note; with the key it stays', () => {
    const env = { PARLEY_MODELS_DIR: tempDir() };
    assert.deepEqual(speechEngine('elevenlabs:eleven_flash_v2_5', 'tts', env), { spec: 'local:flite', note: 'elevenlabs:eleven_flash_v2_5 needs ELEVENLABS_API_KEY, which is not set; using local:flite' });
    assert.deepEqual(speechEngine('deepgram:nova-3', 'stt', env).spec, 'local:pocketsphinx');
    assert.deepEqual(speechEngine('deepgram:nova-3', 'stt', { ...env, DEEPGRAM_API_KEY: 'k' }), { spec: 'deepgram:nova-3' });
    assert.deepEqual(speechEngine('local:flite', 'tts', env), { spec: 'local:flite' });
  });

  it('parley check accepts local:best for both', () => {
    assert.equal(speechSpecProblem('local:best', 'tts'), undefined);
    assert.equal(speechSpecProblem('local:best', 'stt'), undefined);
  });
});
