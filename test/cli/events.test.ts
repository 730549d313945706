import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { calendarFeedAgent } from '../../src/store/calendar-feeds.ts';
import { openStore } from '../../src/store/store.ts';
import { runParley, tempDir } from '../helpers/cli.ts';

test('parley calendar feed create prints a secret URL whose token opens the feed until revoke; events secret prints a whsec_', async () => {
  const dir = tempDir('parley-feed-');
  mkdirSync(join(dir, 'shop'));
  writeFileSync(join(dir, 'shop', 'agent.yaml'), 'name: shop\npersona: { prompt: x, firstMessage: Hi. }\ncalendar: { provider: builtin }\n');
  const env = { PARLEY_DATABASE_URL: `file:${join(dir, 'p.db')}`, PARLEY_PUBLIC_URL: 'https://voice.example.com/' };
  const made = await runParley(['calendar', 'feed', 'create', join(dir, 'shop')], { env });
  assert.equal(made.code, 0, made.stderr);
  const m = /^https:\/\/voice\.example\.com\/v1\/calendars\/([A-Za-z0-9_-]{43})\.ics\n$/.exec(made.stdout);
  assert.ok(m, made.stdout);
  const store = await openStore(env.PARLEY_DATABASE_URL);
  assert.equal(await calendarFeedAgent(store, m[1]), 'shop');
  const revoked = await runParley(['calendar', 'feed', 'revoke', join(dir, 'shop')], { env });
  assert.equal(revoked.stdout, 'revoked 1 feed URL of shop\n');
  assert.equal(await calendarFeedAgent(store, m[1]), undefined);
  await store.close();
  const secret = await runParley(['events', 'secret']);
  assert.match(secret.stdout, /^whsec_[A-Za-z0-9+/]{43}=\n$/);
});
