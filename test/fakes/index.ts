export * from './openai.ts';
export * from './calcom.ts';
export * from './calendly.ts';
