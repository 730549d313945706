import type { Agent } from '../agent/load.ts';
import { startOfDay } from '../util/business-day.ts';
import type { Records } from '../store/records.ts';
import { estimateCost, priceTable, type CostEstimate } from './cost.ts';
import type { Usage, UsageData } from './usage.ts';
import { ReadAhead, SPOKEN_TURN_READ_MAX_AGE_MS } from './read-ahead.ts';

// Spend is bounded inside a conversation, not only when one starts: before every model call the
// conversation's own estimate is held against limits.maxCostPerConversationUsd, and the day's
// spending — ended conversations and running ones, on every node sharing the database — against
// limits.dailyBudgetUsd and limits.dailyMinutes. Running conversations write their figures as
// they accrue, so the others (and admission) see them before they end.

/** Which cap a conversation reached: its own cost, or the agent's day. */
export type SpendLimit = 'cost limit' | 'budget';

/** The fixed line (../fixed-lines.ts) the agent says, from the code and not the model, when a cap ends the conversation. */
export const SPEND_LIMIT_LINE = { 'cost limit': 'costLimit', budget: 'overBudget' } as const satisfies Record<SpendLimit, string>;

/** Least time between two writes of a conversation's running figures while a turn is under way. */
export const SPEND_WRITE_INTERVAL_MS = 1000;

export interface SpendOptions {
  records: Records;
  conversationId: string;
  agent: Pick<Agent, 'name' | 'config'>;
  usage: Usage;
  channel: 'text' | 'web' | 'phone';
  direction: 'inbound' | 'outbound';
  /** Milliseconds since the epoch (the conversation's clock). */
  now: () => number;
  /** When the conversation started (ms), once it has. */
  startedAt: () => number | undefined;
  /** A write of the running figures failed. */
  onError: (e: unknown) => void;
}

/** One conversation's running spend: its estimate, the caps it is held to, and the figures it writes. */
export class Spend {
  #o: SpendOptions;
  #lastWrite = -Infinity;
  #writing: Promise<void> = Promise.resolve();
  /** The day's spending by the agent's other conversations: read while the caller speaks, used by their turn. */
  #day: ReadAhead<{ usd: number; minutes: number }>;

  constructor(o: SpendOptions) {
    this.#o = o;
    const { name, config } = o.agent;
    this.#day = new ReadAhead(() => o.records.spentSince(name, startOfDay(o.now(), config.timeZone), { except: o.conversationId }), { maxAgeMs: SPOKEN_TURN_READ_MAX_AGE_MS, now: o.now });
  }

  /** The caller started speaking: the day's spending is read now, for their turn's check. */
  readAhead(): void {
    this.#day.start();
  }

  /** Seconds since the conversation started. */
  durationSec(): number {
    const started = this.#o.startedAt();
    return started === undefined ? 0 : Math.max(0, (this.#o.now() - started) / 1000);
  }

  /** The usage so far, with the phone minutes running. */
  usage(): UsageData {
    const data = this.#o.usage.data;
    return this.#o.channel === 'phone' ? { ...data, phoneSeconds: this.durationSec() } : data;
  }

  /** The estimate so far. */
  cost(): CostEstimate {
    return estimateCost(this.usage(), priceTable(this.#o.agent.config.limits.prices), this.#o.direction);
  }

  /** Asked before each model call: the cap this conversation has reached, or null to go on. */
  async reached(): Promise<SpendLimit | null> {
    const limits = this.#o.agent.config.limits;
    const own = this.cost().usd;
    if (own >= limits.maxCostPerConversationUsd) return 'cost limit';
    const day = await this.#day.take();
    if (day.usd + own >= limits.dailyBudgetUsd) return 'budget';
    if (day.minutes + this.durationSec() / 60 >= limits.dailyMinutes) return 'budget';
    return null;
  }

  /** Usage was added: the running figures are written, at most once per SPEND_WRITE_INTERVAL_MS. */
  accrued(): void {
    if (this.#o.now() - this.#lastWrite >= SPEND_WRITE_INTERVAL_MS) void this.write();
  }

  /** Writes the running figures now (after each turn) and waits until they are stored. */
  write(): Promise<void> {
    this.#lastWrite = this.#o.now();
    const figures = { durationSec: this.durationSec(), usage: structuredClone(this.usage()), costUsd: this.cost().usd };
    this.#writing = this.#writing.then(() => this.#o.records.noteSpending(this.#o.conversationId, figures)).catch(this.#o.onError);
    return this.#writing;
  }
}
