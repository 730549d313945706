export * from './openai.ts';
