import type { Records } from '../store/records.ts';
import type { ConversationEvent } from './events.ts';

/** Writes events to the store in the order they happened; `flush()` waits until all are written. */
export class Recorder {
  #records: Records;
  #agent: string;
  #tail: Promise<void> = Promise.resolve();
  #onError: (e: unknown) => void;

  constructor(records: Records, agent: string, onError: (e: unknown) => void = (e) => console.error('parley: could not record event:', e)) {
    this.#records = records;
    this.#agent = agent;
    this.#onError = onError;
  }

  /**
   * Queues one event; each is its own write, so a crash loses at most the events of the current
   * moment. Writes start on the next turn of the event loop, after the caller's request to the
   * model has gone out: recording never sits on the path to the first word.
   */
  record(conversationId: string, event: ConversationEvent): Promise<void> {
    this.#tail = this.#tail
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(() => this.#write(conversationId, event))
      .catch(this.#onError);
    return this.#tail;
  }

  flush(): Promise<void> {
    return this.#tail;
  }

  async #write(id: string, e: ConversationEvent): Promise<void> {
    const r = this.#records;
    switch (e.type) {
      case 'conversation.started':
        await r.startConversation({ id, agent: e.agent, agent_version: e.agentVersion, channel: e.channel, direction: e.direction, caller: e.caller, started_at: e.at });
        break;
      case 'turn.caller':
      case 'turn.agent':
        await r.addTurn(id, e.turn);
        break;
      case 'knowledge.hits':
        await r.setTurnGrounding(id, e.seq, e.grounding);
        await r.addKnowledgeHits(id, e.seq, e.hits);
        break;
      case 'turn.heard':
        await r.setHeard(id, e.seq, e.heardText);
        break;
      case 'turn.latency':
        await r.mergeLatency(id, e.seq, e.latency);
        break;
      case 'tool.call':
        await r.addToolCall(id, e.call);
        break;
      case 'lead.saved':
        await r.saveLead(id, this.#agent, e.fields, e.at);
        break;
      case 'conversation.ended':
        await r.endConversation(id, e.at, e.reason, { durationSec: e.durationSec, usage: e.usage, costUsd: e.cost?.usd });
        break;
      case 'booking.made':
      case 'model.call':
      case 'recording.saved':
      case 'error':
        break;
    }
    // The raw event log comes last so derived rows exist whenever the event does.
    const { type, at, ...data } = e;
    await r.appendEvent(id, at, type, data);
  }
}
