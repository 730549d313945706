import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactPersonalData } from '../../src/guard/redact.ts';

describe('redactPersonalData', () => {
  it('masks emails and phone numbers, and leaves times, dates, ids and URLs alone', () => {
    assert.equal(redactPersonalData('lead saved: jane.doe@example.co.uk, +1 (415) 555-0123'), 'lead saved: j…@…, …0123');
    assert.equal(redactPersonalData('call from +48 601 234 567 ended'), 'call from …4567 ended');
    const keep = 'booked 2026-11-24T15:00:00Z for 30 min, conversation 5f0c2a1e-1b2c, port 3000, http://127.0.0.1:3000/v1/x';
    assert.equal(redactPersonalData(keep), keep);
  });
});
