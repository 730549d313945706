export * from './openai.ts';
export * from './calcom.ts';
export * from './calendly.ts';
export * from './deepgram.ts';
export * from './openai-audio.ts';
export * from './elevenlabs.ts';
export * from './cartesia.ts';
export * from './twilio.ts';
