// Secrets live in the environment, never in agent files: a file says `${CRM_TOKEN}`
// and the value is looked up only where it is used, so a missing secret is reported
// by name for the feature that needs it, and the rest of the agent still works.

const REF = /\$\{([A-Z_][A-Z0-9_]*)\}/g;

/** A `${NAME}` reference whose environment variable is not set. */
export class MissingSecretError extends Error {
  readonly variable: string;
  constructor(variable: string, neededBy: string) {
    super(`environment variable ${variable} is not set (needed by ${neededBy})`);
    this.name = 'MissingSecretError';
    this.variable = variable;
  }
}

/** Names of the environment variables a string refers to. */
export function secretRefs(text: string): string[] {
  return [...text.matchAll(REF)].map((m) => m[1]);
}

/** Replaces every `${NAME}` with its value from `env`; throws MissingSecretError naming the first unset one. */
export function resolveSecrets(text: string, neededBy: string, env: NodeJS.ProcessEnv = process.env): string {
  return text.replace(REF, (_, name: string) => {
    const value = env[name];
    if (value === undefined || value === '') throw new MissingSecretError(name, neededBy);
    return value;
  });
}

/** Every secret value referenced anywhere in a config. Only the agent's own: to hide secrets, use secretMask (secret-mask.ts), which adds provider keys and server secrets and their encodings. */
export function secretValues(config: unknown, env: NodeJS.ProcessEnv = process.env): string[] {
  const names = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') for (const n of secretRefs(v)) names.add(n);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(config);
  return [...names].map((n) => env[n]).filter((v): v is string => !!v && v.length >= 4);
}
