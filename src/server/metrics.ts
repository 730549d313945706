// The few numbers /metrics exposes, in Prometheus text format.

export class Metrics {
  activeSessions = 0;
  turnsTotal = 0;
  #sessions = new Map<string, number>();

  sessionStarted(agent: string): void {
    this.activeSessions++;
    this.#sessions.set(agent, (this.#sessions.get(agent) ?? 0) + 1);
  }

  sessionEnded(): void {
    this.activeSessions = Math.max(0, this.activeSessions - 1);
  }

  text(agents: readonly string[]): string {
    const lines = [
      '# HELP parley_active_sessions Web sessions open right now.',
      '# TYPE parley_active_sessions gauge',
      `parley_active_sessions ${this.activeSessions}`,
      '# HELP parley_turns_total Caller turns answered since the server started.',
      '# TYPE parley_turns_total counter',
      `parley_turns_total ${this.turnsTotal}`,
      '# HELP parley_sessions_total Web sessions opened since the server started, by agent.',
      '# TYPE parley_sessions_total counter',
    ];
    for (const agent of new Set([...agents, ...this.#sessions.keys()])) lines.push(`parley_sessions_total{agent="${label(agent)}"} ${this.#sessions.get(agent) ?? 0}`);
    return `${lines.join('\n')}\n`;
  }
}

function label(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
