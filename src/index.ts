// Parley as a library: load an agent, open the store, hold a conversation.
// Importing it loads almost nothing (issue 19): the exports below that need the agent schema
// (zod), the store (kysely), the model SDKs or the calendars load their module on first use.
import type * as AgentLoad from './agent/load.ts';
import type * as AgentSchema from './agent/schema.ts';
import type * as JsonSchema from './agent/json-schema.ts';
import type * as Knowledge from './knowledge/index.ts';
import type * as Model from './llm/model.ts';
import type * as ConversationModule from './session/conversation.ts';
import type * as RecordsModule from './store/records.ts';
import type * as StoreModule from './store/store.ts';
import type * as Calendar from './tools/calendar/index.ts';
import { lazyFunction, lazyValue, moduleLoader } from './util/lazy.ts';

export { AgentLoadError, formatProblem, type AgentProblem } from './agent/problems.ts';
export { ModelConfigError } from './llm/providers.ts';
export { TextSession, type TextSessionEvent, type TextSessionOptions } from './session/text-session.ts';
export { VoiceSession, type VoiceSessionOptions } from './session/voice/voice-session.ts';
export type { Agent, CollectSpec } from './agent/load.ts';
export type { AgentFileData, AgentFileInput } from './agent/schema.ts';
export type { AgentOutput, ConversationOptions } from './session/conversation.ts';
export type { Channel, ClientEvent } from './channels/channel.ts';
export type { SpeechToText, TextToSpeech, SttEvent, SttStream } from './speech/types.ts';
export type { ConversationRecord } from './store/records.ts';
export type { Store } from './store/store.ts';
export type { CalendarProvider } from './tools/calendar/index.ts';

const lazy = moduleLoader(import.meta.url);
const agentLoad = lazy<typeof AgentLoad>('./agent/load');
const agentSchema = lazy<typeof AgentSchema>('./agent/schema');
const jsonSchema = lazy<typeof JsonSchema>('./agent/json-schema');
const knowledge = lazy<typeof Knowledge>('./knowledge/index');
const model = lazy<typeof Model>('./llm/model');
const conversation = lazy<typeof ConversationModule>('./session/conversation');
const records = lazy<typeof RecordsModule>('./store/records');
const store = lazy<typeof StoreModule>('./store/store');
const calendar = lazy<typeof Calendar>('./tools/calendar/index');

/** Reads and checks an agent folder (see src/agent/load.ts). */
export const loadAgent = lazyFunction(() => agentLoad().loadAgent);
/** The agent.yaml schema (zod), loaded on first touch. */
export const AgentFile: typeof AgentSchema.AgentFile = lazyValue(() => agentSchema().AgentFile, 'object');
/** agent.yaml's JSON Schema, as published in docs/agent.schema.json. */
export const agentJsonSchema = lazyFunction(() => jsonSchema().agentJsonSchema);
/** Reads an agent's knowledge sources into the store. */
export const ingestKnowledge = lazyFunction(() => knowledge().ingestKnowledge);
/** Searches an agent's knowledge in the store. */
export const searchKnowledge = lazyFunction(() => knowledge().searchKnowledge);
/** Which model an agent's `brain` names, and where it is reached. */
export const modelChoice = lazyFunction(() => model().modelChoice);
/** The AI SDK model for a choice (loads the provider SDKs on first call). */
export const resolveModel = lazyFunction(() => model().resolveModel);
/** One conversation with an agent, whatever the door. */
export const Conversation: typeof ConversationModule.Conversation = lazyValue(() => conversation().Conversation, 'class');
export type Conversation = ConversationModule.Conversation;
/** Conversation records in the store. */
export const Records: typeof RecordsModule.Records = lazyValue(() => records().Records, 'class');
export type Records = RecordsModule.Records;
/** Opens (and migrates) the store at a database URL. */
export const openStore = lazyFunction(() => store().openStore);
/** The calendar an agent's booking tool talks to. */
export const calendarFor = lazyFunction(() => calendar().calendarFor);
