// Regenerates docs/agent.schema.json from the zod schema (npm run schema).
import { writeFileSync } from 'node:fs';
import { agentJsonSchema } from '../src/agent/json-schema.ts';

writeFileSync(new URL('../docs/agent.schema.json', import.meta.url), `${JSON.stringify(agentJsonSchema(), null, 2)}\n`);
