import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { knownSecrets, SecretMask, secretMask } from '../../src/agent/secret-mask.ts';

const CRM = 'crm+tok/9f8e~7d "6c" 5b4a';
const env = {
  CRM_TOKEN: CRM,
  OPENAI_API_KEY: 'sk-openai-0123456789abcdef',
  PARLEY_ADMIN_TOKEN: 'admin-token-55555555',
  PARLEY_SESSION_SECRET: 'session-secret-7777777',
  PARLEY_DATABASE_URL: 'postgres://parley:db%2Fpa55word@db.internal:5432/parley',
  PARLEY_REDIS_URL: 'redis://:redis-pass-4242@cache:6379',
  MY_VENDOR_API_KEY: 'vendor-key-abcdefgh',
  FEATURE_TOKEN: 'on', // too short to be a credential picked by name
  PATH: '/usr/bin',
};
const config = { tools: [{ type: 'webhook', headers: { Authorization: 'Bearer ${CRM_TOKEN}' } }] };

describe('secret mask', () => {
  it('knows the agent’s ${NAME} values, provider keys, the admin token, the signing secret and service passwords', () => {
    const shown = new Map(knownSecrets(config, env).map((s) => [s.value, s.shownAs]));
    assert.equal(shown.get(CRM), '${CRM_TOKEN}');
    assert.equal(shown.get(env.OPENAI_API_KEY), '${OPENAI_API_KEY}');
    assert.equal(shown.get(env.PARLEY_ADMIN_TOKEN), '${PARLEY_ADMIN_TOKEN}');
    assert.equal(shown.get(env.PARLEY_SESSION_SECRET), '${PARLEY_SESSION_SECRET}');
    assert.equal(shown.get('db/pa55word'), '${PARLEY_DATABASE_URL password}');
    assert.equal(shown.get('redis-pass-4242'), '${PARLEY_REDIS_URL password}');
    assert.equal(shown.get(env.MY_VENDOR_API_KEY), '${MY_VENDOR_API_KEY}');
    assert.ok(!shown.has('on') && !shown.has('/usr/bin'));
  });

  it('does not treat a local default password (postgres:postgres, a password equal to the user) as a secret', () => {
    const local = knownSecrets({}, { PARLEY_DATABASE_URL: 'postgres://postgres:postgres@127.0.0.1:5432/test', PARLEY_REDIS_URL: 'redis://app:app@cache:6379', OTHER_URL: 'postgres://u:s3cr3t-pw@db/x' });
    assert.deepEqual(local.map((s) => s.value), ['s3cr3t-pw']);
    assert.equal(secretMask({}, { PARLEY_DATABASE_URL: 'postgres://postgres:postgres@db/x' }).text('We support postgres 16.'), 'We support postgres 16.');
  });

  it('hides a secret as is, URL-encoded in either style and hex case, JSON-escaped, ASCII-escaped and in base64', () => {
    const mask = secretMask(config, env);
    const forms = [
      CRM,
      encodeURIComponent(CRM),
      encodeURIComponent(CRM).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
      new URLSearchParams({ t: CRM }).toString().slice(2),
      JSON.stringify(CRM).slice(1, -1),
      `Basic ${Buffer.from(`user:${CRM}`).toString('base64')}`,
      `Basic%20${Buffer.from(`someone:${CRM}`).toString('base64url')}`,
      Buffer.from(CRM).toString('base64'),
    ];
    for (const form of forms) {
      const out = mask.text(`the server said: ${form} (end)`);
      assert.ok(out.startsWith('the server said: ') && out.endsWith(' (end)'), out);
      assert.ok(!out.includes(form) && /\$\{CRM_TOKEN\}|\[secret\]/.test(out), `${form} → ${out}`);
    }
    const unicode = new SecretMask([{ value: 'zażółć-secret', shownAs: '${PL}' }]);
    assert.equal(unicode.text('{"k":"za\\u017c\\u00f3\\u0142\\u0107-secret"}'), '{"k":"${PL}"}');
  });

  it('masks strings and keys deep in a value, keeps other data, and leaves __proto__ a plain key', () => {
    const mask = secretMask(config, env);
    const echoed = JSON.parse(`{"__proto__": {"polluted": "${env.OPENAI_API_KEY}"}, "headers": {"authorization": "Bearer ${env.OPENAI_API_KEY}"}, "n": 3, "list": [null, true, "${env.PARLEY_ADMIN_TOKEN}"], "${env.PARLEY_ADMIN_TOKEN}": 1}`);
    const out = mask.value(echoed) as Record<string, unknown>;
    assert.equal(JSON.stringify(out), '{"__proto__":{"polluted":"${OPENAI_API_KEY}"},"headers":{"authorization":"Bearer ${OPENAI_API_KEY}"},"n":3,"list":[null,true,"${PARLEY_ADMIN_TOKEN}"],"${PARLEY_ADMIN_TOKEN}":1}');
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    const when = new Date('2026-01-15T12:00:00Z');
    assert.deepEqual(mask.value({ when, url: new URL(`https://x.test/?k=${env.OPENAI_API_KEY}`) }), { when: '2026-01-15T12:00:00.000Z', url: 'https://x.test/?k=${OPENAI_API_KEY}' });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('leaves ordinary text alone, including base64-looking words and short values', () => {
    const mask = secretMask(config, env);
    const text = 'Your order A10023 shipped; tracking dGhpcyBpcyBmaW5l and https://acme.example/a?b=c, on the 4th.';
    assert.equal(mask.text(text), text);
    assert.equal(new SecretMask([]).text(text), text);
  });

  it('hides a huge echoed body in bounded time', () => {
    const mask = secretMask(config, env);
    const body = `${'lorem ipsum dolorsitametconsectetur '.repeat(2000)}${CRM}`;
    const started = performance.now();
    const out = mask.text(body);
    const ms = performance.now() - started;
    assert.ok(out.endsWith('${CRM_TOKEN}'));
    assert.ok(ms < 500, `${ms} ms`);
  });
});
