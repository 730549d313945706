// Runs the store-backed tests a second time on PostgreSQL: each test file gets its own schema in
// the database at PARLEY_TEST_DATABASE_URL (default: the local server, database `test`). Skips,
// saying so, when no PostgreSQL answers there — a laptop without one still runs `npm test`.
import { spawnSync } from 'node:child_process';
import { withoutPassword } from '../src/util/service-url.ts';
import { postgresUp } from '../test/helpers/store.ts';

const url = process.env.PARLEY_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const FILES = [
  'test/store/*.test.ts',
  'test/analysis/*.test.ts',
  'test/knowledge/*.test.ts',
  'test/tools/calendar/*.test.ts',
  'test/session/conversation.test.ts',
  'test/session/grounding.test.ts',
  'test/session/booking.test.ts',
  'test/server/admin.test.ts',
  'test/server/unanswered.test.ts',
  'test/server/admin-outcomes.test.ts',
  'test/server/owner.test.ts',
  'test/server/analysis.test.ts',
  'test/server/limits.test.ts',
  'test/server/campaigns.test.ts',
  'test/events/webhooks.test.ts',
  'test/server/events.test.ts',
  'test/events/email.test.ts',
];

if (!(await postgresUp(url))) {
  console.log(`parley: PostgreSQL tests skipped: nothing answers at ${withoutPassword(url)}`);
  process.exit(0);
}
console.log(`parley: the store tests again, on PostgreSQL (${withoutPassword(url)})`);
// One file at a time: files migrating their own schemas side by side on one server raced (a schema
// or a column briefly not found, a different test each run).
const run = spawnSync(process.execPath, ['--test', '--test-force-exit', '--test-concurrency=1', ...FILES], { stdio: 'inherit', env: { ...process.env, PARLEY_TEST_DATABASE_URL: url } });
process.exit(run.status ?? 1);
