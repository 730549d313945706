import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AgentFile } from '../../src/agent/schema.ts';
import { ownerAddress } from '../../src/events/destinations.ts';

// The owner's address may live in the environment like a secret (an agent file shared in a repo
// need not carry it): `calendar.ownerEmail: ${OWNER_EMAIL}`.
const agent = (calendar: Record<string, unknown>, events: Record<string, unknown> = {}) =>
  AgentFile.parse({ persona: { prompt: 'p', firstMessage: 'Hi' }, calendar: { provider: 'builtin', ...calendar }, events });

describe('the owner’s address', () => {
  it('accepts ${NAME} for calendar.ownerEmail and events.email.to, and reads it from the environment', () => {
    assert.equal(ownerAddress(agent({ ownerEmail: '${OWNER_EMAIL}' }), { OWNER_EMAIL: 'anna@rachunekplus.pl' }), 'anna@rachunekplus.pl');
    assert.equal(ownerAddress(agent({}, { email: { to: '${NOTICES_TO}' } }), { NOTICES_TO: 'desk@example.com' }), 'desk@example.com');
    assert.equal(ownerAddress(agent({ ownerEmail: 'owner@example.com' }), {}), 'owner@example.com');
  });

  it('an unset variable gives no address rather than the literal text', () => {
    assert.equal(ownerAddress(agent({ ownerEmail: '${OWNER_EMAIL}' }), {}), undefined);
  });

  it('still refuses what is neither an address nor a ${NAME}', () => {
    for (const bad of ['anna', '${owner_email}', 'anna@x.pl ${OWNER}']) {
      const r = AgentFile.safeParse({ persona: { prompt: 'p', firstMessage: 'Hi' }, calendar: { provider: 'builtin', ownerEmail: bad } });
      assert.equal(r.success, false, bad);
    }
  });
});
