import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ConversationEvent } from '../session/events.ts';

// What /metrics exposes, in Prometheus text format: sessions by door, turns, per-stage turn
// latency histograms (from the voice loop's turn.latency events) and errors by provider.

/** Upper bounds (seconds) of the latency histogram buckets: voice work lives between 50 ms and 5 s. */
const BUCKETS = [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10];

class Histogram {
  counts = new Array<number>(BUCKETS.length).fill(0);
  sum = 0;
  count = 0;
  observe(seconds: number): void {
    this.sum += seconds;
    this.count++;
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) this.counts[i]!++;
  }
}

export class Metrics {
  #active = new Map<string, number>();
  #sessions = new Map<string, number>();
  #turns = new Map<string, number>();
  #latency = new Map<string, Histogram>();
  #errors = new Map<string, number>();
  #refused = new Map<string, number>();
  /** Event-loop delay since the last scrape: a voice server that lags delays every caller's audio. */
  #lag = monitorEventLoopDelay({ resolution: 10 });

  constructor() {
    this.#lag.enable();
  }

  close(): void {
    this.#lag.disable();
  }

  get activeSessions(): number {
    let n = 0;
    for (const v of this.#active.values()) n += v;
    return n;
  }

  sessionStarted(agent: string, door = 'web'): void {
    bump(this.#active, door);
    bump(this.#sessions, key({ agent, door }));
  }

  sessionEnded(door = 'web'): void {
    bump(this.#active, door, -1);
  }

  /** A session or call that was turned away, and why (origin, limit, budget…). */
  refused(reason: string): void {
    bump(this.#refused, key({ reason }));
  }

  /** Feeds one conversation event (wire it as a Conversation's onEvent). */
  observe(agent: string, e: ConversationEvent): void {
    if (e.type === 'turn.caller') bump(this.#turns, key({ agent }));
    else if (e.type === 'error') bump(this.#errors, key({ provider: provider(e.where) }));
    else if (e.type === 'turn.latency') {
      for (const [stage, ms] of Object.entries(e.latency)) {
        if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) continue;
        const k = key({ stage: stage.replace(/Ms$/, '') });
        let h = this.#latency.get(k);
        if (!h) this.#latency.set(k, (h = new Histogram()));
        h.observe(ms / 1000);
      }
    }
  }

  /** Counts an error outside any conversation event (a speech engine that failed to start). */
  error(where: string): void {
    bump(this.#errors, key({ provider: provider(where) }));
  }

  text(agents: readonly string[]): string {
    const out: string[] = [];
    const family = (name: string, type: string, help: string) => out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);

    family('parley_active_sessions', 'gauge', 'Sessions running right now, by door.');
    for (const door of new Set(['web', 'phone', ...this.#active.keys()])) out.push(`parley_active_sessions{door="${door}"} ${this.#active.get(door) ?? 0}`);

    family('parley_sessions_total', 'counter', 'Sessions opened since the server started, by agent and door.');
    for (const agent of agents) if (![...this.#sessions.keys()].some((k) => k.startsWith(`agent="${label(agent)}"`))) out.push(`parley_sessions_total{${key({ agent, door: 'web' })}} 0`);
    for (const [k, v] of this.#sessions) out.push(`parley_sessions_total{${k}} ${v}`);

    family('parley_turns_total', 'counter', 'Caller turns answered since the server started, by agent.');
    for (const agent of agents) if (!this.#turns.has(key({ agent }))) out.push(`parley_turns_total{${key({ agent })}} 0`);
    for (const [k, v] of this.#turns) out.push(`parley_turns_total{${k}} ${v}`);

    family('parley_turn_latency_seconds', 'histogram', 'Voice turn latency by stage (endpointing, sttFinal, llmFirstToken, ttsFirstAudio, voiceToVoice).');
    for (const [k, h] of this.#latency) {
      BUCKETS.forEach((b, i) => out.push(`parley_turn_latency_seconds_bucket{${k},le="${b}"} ${h.counts[i]}`));
      out.push(`parley_turn_latency_seconds_bucket{${k},le="+Inf"} ${h.count}`, `parley_turn_latency_seconds_sum{${k}} ${round(h.sum)}`, `parley_turn_latency_seconds_count{${k}} ${h.count}`);
    }

    family('parley_errors_total', 'counter', 'Errors by provider (llm:openai, stt:deepgram, tts:elevenlabs, tool:…, calendar:…).');
    for (const [k, v] of this.#errors) out.push(`parley_errors_total{${k}} ${v}`);

    family('parley_refused_total', 'counter', 'Sessions and calls refused, by reason.');
    for (const [k, v] of this.#refused) out.push(`parley_refused_total{${k}} ${v}`);

    family('parley_event_loop_lag_seconds', 'gauge', 'Event-loop delay since the previous scrape, by quantile.');
    for (const q of [50, 99]) out.push(`parley_event_loop_lag_seconds{quantile="${q / 100}"} ${round(this.#lag.percentile(q) / 1e9)}`);
    out.push(`parley_event_loop_lag_seconds{quantile="1"} ${round(this.#lag.max / 1e9)}`);
    this.#lag.reset();
    return `${out.join('\n')}\n`;
  }
}

/** `llm:openai:gpt-4.1-mini` → `llm:openai`: the provider, not every model, is the label. */
function provider(where: string): string {
  return where.split(':').slice(0, 2).join(':');
}

function bump(m: Map<string, number>, k: string, by = 1): void {
  m.set(k, Math.max(0, (m.get(k) ?? 0) + by));
}

function key(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}="${label(v)}"`)
    .join(',');
}

function label(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
