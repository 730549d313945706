import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { secretMask } from '../../src/agent/secret-mask.ts';
import { maskingLogMethod, redactPersonalData } from '../../src/guard/redact.ts';

describe('redactPersonalData', () => {
  it('masks emails and phone numbers, and leaves times, dates, ids and URLs alone', () => {
    assert.equal(redactPersonalData('lead saved: jane.doe@example.co.uk, +1 (415) 555-0123'), 'lead saved: j…@…, …0123');
    assert.equal(redactPersonalData('call from +48 601 234 567 ended'), 'call from …4567 ended');
    const keep = 'booked 2026-11-24T15:00:00Z for 30 min, conversation 5f0c2a1e-1b2c, port 3000, http://127.0.0.1:3000/v1/x';
    assert.equal(redactPersonalData(keep), keep);
  });
});

describe('maskingLogMethod', () => {
  const env = { OPENAI_API_KEY: 'sk-log-0123456789abcdef', PARLEY_ADMIN_TOKEN: 'adm-log-0123456789', PARLEY_DATABASE_URL: 'postgres://u:dbpass-4242@db/parley' };

  it('hides secrets in log messages, log fields and logged errors', () => {
    const lines: string[] = [];
    const log = pino({ hooks: { logMethod: maskingLogMethod(secretMask(undefined, env)) } }, { write: (line: string) => void lines.push(line) });
    log.info(`calling with key ${env.OPENAI_API_KEY}`);
    log.warn({ url: 'https://x.test/?token=adm-log-0123456789' }, 'admin %s', 'login');
    log.error({ err: new Error(`could not connect: password dbpass-4242 refused`) }, 'store failed');
    log.error(new Error(`401: Incorrect API key provided: ${env.OPENAI_API_KEY}`));
    const out = lines.join('');
    for (const secret of [env.OPENAI_API_KEY, 'adm-log-0123456789', 'dbpass-4242']) assert.ok(!out.includes(secret), `${secret} in ${out}`);
    assert.match(out, /calling with key \$\{OPENAI_API_KEY\}/);
    assert.match(out, /token=\$\{PARLEY_ADMIN_TOKEN\}/);
    assert.match(out, /password \$\{PARLEY_DATABASE_URL password\} refused/);
    assert.match(out, /"type":"Error"/, 'errors still serialise as errors');
  });
});
