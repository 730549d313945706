import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/server/app.ts';
import type { Store } from '../../src/store/store.ts';
import { runParley, tempDir } from '../helpers/cli.ts';
import { openTestStore } from '../helpers/store.ts';
import { listenOnLoopback } from '../server/helpers.ts';

const ADMIN = 'admin-token-for-tests';

describe('parley campaign: start, list, status, pause, resume, dnc through the admin API', () => {
  let app: FastifyInstance;
  let base: string;
  let store: Store;
  let dir: string;
  before(async () => {
    store = await openTestStore();
    dir = tempDir('parley-campaign-cli-');
    mkdirSync(join(dir, 'ada'));
    writeFileSync(
      join(dir, 'ada', 'agent.yaml'),
      ['name: ada', 'persona:', '  prompt: You are Ada.', '  firstMessage: "Hi {{name}}, this is Ada."', 'knowledge: { sources: [], strict: false }', 'channels:', '  phone:', '    number: "+14155550100"', '    accountSid: AC0123456789abcdef0123456789abcdef', '    authToken: token', ''].join('\n'),
    );
    app = await buildServer({ agentsDir: dir, store, mode: 'serve', campaigns: { run: false }, env: { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: 'http://127.0.0.1:9', PARLEY_SESSION_SECRET: 's', PARLEY_ADMIN_TOKEN: ADMIN } });
    base = await listenOnLoopback(app);
  });
  after(async () => {
    await app.close();
    await store.close();
  });
  const parley = (...args: string[]) => runParley([...args, '--server', base], { env: { PARLEY_ADMIN_TOKEN: ADMIN } });

  it('starts a campaign from a CSV, shows it, pauses and resumes it; a bad file is refused line by line', async () => {
    const good = join(dir, 'leads.csv');
    writeFileSync(good, 'Phone,Name,Company\n"(212) 555-0190",Ann,"Acme, Inc."\n+14155550191,Bob,Bobco\n');
    const started = await parley('campaign', 'start', good, '--agent', 'ada', '--country', 'US', '--hours', '10:00-18:00', '--days', 'mon-sat');
    assert.equal(started.code, 0, started.stderr);
    const id = /started campaign ([0-9a-f-]{36})/.exec(started.stdout)?.[1];
    assert.ok(id, started.stdout);
    assert.match(started.stdout, /contacts: 2 waiting/);
    assert.match(started.stdout, /10:00-18:00 callee time, days 1,2,3,4,5,6/);

    const status = await parley('campaign', 'status', id.slice(0, 8));
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /\+12125550190\s+Ann\s+pending/);
    const json = JSON.parse((await parley('campaign', 'status', id, '--json')).stdout) as { contacts: { timeZone: string }[] };
    assert.deepEqual(json.contacts.map((c) => c.timeZone), ['America/New_York', 'America/Los_Angeles']);

    assert.match((await parley('campaign', 'pause', id)).stdout, /paused/);
    assert.match((await parley('campaign', 'list')).stdout, new RegExp(`${id.slice(0, 8)}.*paused`));
    assert.match((await parley('campaign', 'resume', id)).stdout, /running/);

    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'phone,company\n+14155550192,Acme\n');
    const refused = await parley('campaign', 'start', bad, '--agent', 'ada');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /nothing was imported/);
    assert.match(refused.stderr, /persona\.firstMessage uses \{\{name\}\}, and the file has no name column/);
  });

  it('adds, lists and removes do-not-call numbers', async () => {
    assert.equal((await parley('campaign', 'dnc', 'add', '+14155550193', '--reason', 'asked by email')).code, 0);
    assert.match((await parley('campaign', 'dnc', 'list')).stdout, /\+14155550193 .* admin\s+asked by email/);
    assert.equal((await parley('campaign', 'dnc', 'remove', '+14155550193')).code, 0);
    assert.match((await parley('campaign', 'dnc', 'list')).stdout, /empty/);
    const wrong = await parley('campaign', 'dnc', 'add', 'nope');
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /not a phone number/);
  });
});
