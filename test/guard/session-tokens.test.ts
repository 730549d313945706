import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CALL_MEMORY_MS, SessionTokens, type SpentTokens } from '../../src/guard/session-tokens.ts';

describe('SessionTokens: single-use tokens, calls bound inside them, one claim per call', () => {
  it('carries the call (caller, direction) the signed webhook named, signed with the rest', async () => {
    const tokens = new SessionTokens({ secret: 's' });
    const token = tokens.issue('ada', 'twilio:CA1', { caller: '+48601234567', direction: 'inbound' });
    const check = await tokens.redeem(token, { origin: 'twilio:CA1' });
    assert.ok(check.ok);
    assert.deepEqual(check.claims.call, { caller: '+48601234567', direction: 'inbound' });
    // Rewriting the caller inside the payload breaks the signature.
    const [payload, signature] = tokens.issue('ada', 'twilio:CA2', { caller: '+1', direction: 'inbound' }).split('.');
    const forged = Buffer.from(Buffer.from(payload!, 'base64url').toString().replace('"+1"', '"+19995550000"')).toString('base64url');
    assert.deepEqual(await tokens.redeem(`${forged}.${signature}`, { origin: 'twilio:CA2' }), { ok: false, reason: 'bad token signature' });
  });

  it('claims a call once — twice, at once, or a day later', async () => {
    let now = 1_000_000;
    const tokens = new SessionTokens({ secret: 's', now: () => now });
    const both = await Promise.all([tokens.claimOnce('call:CA1'), tokens.claimOnce('call:CA1')]);
    assert.deepEqual(both.sort(), ['claimed', 'taken']);
    assert.equal(await tokens.claimOnce('call:CA2'), 'claimed', 'another call is its own');
    now += CALL_MEMORY_MS - 1;
    assert.equal(await tokens.claimOnce('call:CA1'), 'taken', 'still remembered just before a day');
    now += 1;
    assert.equal(await tokens.claimOnce('call:CA1'), 'claimed', 'forgotten after a day');
  });

  it('says `unavailable` (try again) when the shared store cannot be asked, instead of letting a second stream through', async () => {
    const down: SpentTokens = { spend: () => Promise.reject(new Error('redis down')) };
    assert.equal(await new SessionTokens({ secret: 's', spent: down }).claimOnce('call:CA1'), 'unavailable');
  });
});
