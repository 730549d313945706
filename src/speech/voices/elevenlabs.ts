import type { CatalogueVoice } from './catalogue.ts';

// ElevenLabs' default ("premade") voices, available to every account, as GET /v1/voices returns
// them: the id, the name, and the labels ElevenLabs gives each (accent, gender, age) with its own
// one-line description. All were recorded in English; the multilingual models
// (eleven_multilingual_v2, eleven_flash_v2_5, eleven_turbo_v2_5) speak other languages with them,
// keeping the accent, so they are multilingual: any language filter lists them. ElevenLabs retires and adds default voices now and then: with
// ELEVENLABS_API_KEY set, `parley voices` lists the account's real set.

const v = (id: string, name: string, accent: string, gender: 'female' | 'male' | 'neutral', age: CatalogueVoice['age'], description: string): CatalogueVoice => ({
  provider: 'elevenlabs',
  id,
  name,
  language: 'en',
  multilingual: true,
  accent,
  gender,
  ...(age ? { age } : {}),
  description,
});

/** ElevenLabs' default voices with their published labels. */
export const ELEVENLABS_VOICES: readonly CatalogueVoice[] = [
  v('CwhRBWXzGAHq8TQ4Fs17', 'Roger', 'american', 'male', 'middle-aged', 'Easy going and perfect for casual conversations.'),
  v('EXAVITQu4vr4xnSDxMaL', 'Sarah', 'american', 'female', 'young', 'Young adult woman with a confident and warm, mature quality and a reassuring, professional tone.'),
  v('FGY2WhTYpPnrIDTdsKH5', 'Laura', 'american', 'female', 'young', 'This young adult female voice delivers sunny enthusiasm with a quirky attitude.'),
  v('IKne3meq5aSn9XLyUdCD', 'Charlie', 'australian', 'male', 'young', 'A young Australian male with a confident and energetic voice.'),
  v('JBFqnCBsd6RMkjVDRZzb', 'George', 'british', 'male', 'middle-aged', 'Warm resonance that instantly captivates listeners.'),
  v('N2lVS1w4EtoT3dr4eOWO', 'Callum', 'transatlantic', 'male', 'middle-aged', 'Deceptively gravelly, yet unsettling edge.'),
  v('SAz9YHcvj6GT2YYXdXww', 'River', 'american', 'neutral', 'middle-aged', 'A relaxed, neutral voice ready for narrations or conversational projects.'),
  v('SOYHLrjzK2X1ezoPC6cr', 'Harry', 'american', 'male', 'young', 'An animated warrior ready to charge forward.'),
  v('TX3LPaxmHKxFdv7VOQHJ', 'Liam', 'american', 'male', 'young', 'A young adult with energy and warmth - suitable for reels and shorts.'),
  v('Xb7hH8MSUJpSbSDYk0k2', 'Alice', 'british', 'female', 'middle-aged', 'Clear and engaging, friendly woman with a British accent suitable for e-learning.'),
  v('XrExE9yKIg1WjnnlVkGX', 'Matilda', 'american', 'female', 'middle-aged', 'A professional woman with a pleasing alto pitch. Suitable for many use cases.'),
  v('bIHbv24MWmeRgasZH58o', 'Will', 'american', 'male', 'young', 'Conversational and laid back.'),
  v('cgSgspJ2msm6clMCkdW9', 'Jessica', 'american', 'female', 'young', 'Young and popular, this playful American female voice is perfect for trendy content.'),
  v('cjVigY5qzO86Huf0OWal', 'Eric', 'american', 'male', 'middle-aged', 'A smooth tenor pitch from a man in his 40s - perfect for agentic use cases.'),
  v('hpp4J3VqNfWAUOO0d1Us', 'Bella', 'american', 'female', undefined, 'Warm, bright and professional, with a Standard American accent and a polished, narrative quality.'),
  v('iP95p4xoKVk53GoZ742B', 'Chris', 'american', 'male', 'middle-aged', 'Natural and real, this down-to-earth voice is great across many use-cases.'),
  v('nPczCjzI2devNBz1zQrb', 'Brian', 'american', 'male', 'middle-aged', 'Middle-aged man with a resonant and comforting tone. Great for narrations and advertisements.'),
  v('onwK4e9ZLuTAKqWW03F9', 'Daniel', 'british', 'male', 'middle-aged', 'A strong voice perfect for delivering a professional broadcast or news story.'),
  v('pFZP5JQG7iQjIQuC4Bku', 'Lily', 'british', 'female', 'middle-aged', 'Velvety British female voice delivers news and narrations with warmth and clarity.'),
  v('pNInz6obpgDQGcFmaJgB', 'Adam', 'american', 'male', 'middle-aged', 'A bright tenor pitch that cuts through, brash and openly confident.'),
  v('pqHfZKP75CvOlQylNhV4', 'Bill', 'american', 'male', 'old', 'Friendly and comforting voice ready to narrate your stories.'),
];
