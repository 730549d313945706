// Parley as a library: load an agent, open the store, hold a conversation.
export { loadAgent, type Agent, type CollectSpec } from './agent/load.ts';
export { AgentLoadError, formatProblem, type AgentProblem } from './agent/problems.ts';
export { AgentFile, type AgentFileData, type AgentFileInput } from './agent/schema.ts';
export { agentJsonSchema } from './agent/json-schema.ts';
export { ingestKnowledge, searchKnowledge } from './knowledge/index.ts';
export { modelChoice, resolveModel, ModelConfigError } from './llm/model.ts';
export { Conversation, type AgentOutput, type ConversationOptions } from './session/conversation.ts';
export { TextSession, type TextSessionEvent, type TextSessionOptions } from './session/text-session.ts';
export { VoiceSession, type VoiceSessionOptions } from './session/voice/voice-session.ts';
export type { Channel, ClientEvent } from './channels/channel.ts';
export type { SpeechToText, TextToSpeech, SttEvent, SttStream } from './speech/types.ts';
export { Records, type ConversationRecord } from './store/records.ts';
export { openStore, type Store } from './store/store.ts';
export { calendarFor, type CalendarProvider } from './tools/calendar/index.ts';
