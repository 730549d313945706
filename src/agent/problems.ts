/** One thing wrong with an agent folder, pinned to a file position. */
export interface AgentProblem {
  file: string;
  line: number;
  column: number;
  /** Dotted path of the field, e.g. `tools.1.url`; empty for file-level problems. */
  field: string;
  message: string;
}

/** `file:line:column field.path: message` — the format editors and coding agents can jump to. */
export function formatProblem(p: AgentProblem): string {
  return `${p.file}:${p.line}:${p.column} ${p.field ? `${p.field}: ` : ''}${p.message}`;
}

/** Thrown when an agent folder cannot be loaded; carries every problem found, not just the first. */
export class AgentLoadError extends Error {
  readonly problems: AgentProblem[];
  constructor(problems: AgentProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'AgentLoadError';
    this.problems = problems;
  }
}
