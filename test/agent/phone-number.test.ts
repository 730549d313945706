import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { phoneNumber, phoneNumberOrNone } from '../../src/agent/phone-number.ts';
import { AgentFile } from '../../src/agent/schema.ts';
import { MissingSecretError } from '../../src/agent/secrets.ts';

// channels.phone.number may be ${NAME}: filled and checked as E.164 where it is used (the caller
// id of outbound calls, the number an inbound call is matched to).

const withNumber = (number: string) => AgentFile.parse({ persona: { prompt: 'p', firstMessage: 'Hi.' }, channels: { phone: { number } } });

describe('channels.phone.number', () => {
  it('is filled from the environment', () => {
    assert.equal(phoneNumber(withNumber('${SUPPORT_NUMBER}'), { SUPPORT_NUMBER: '+442079460100' }), '+442079460100');
    assert.equal(phoneNumber(withNumber('+14155550123'), {}), '+14155550123');
  });

  it('names an unset variable, and refuses a value that is not E.164', () => {
    assert.throws(() => phoneNumber(withNumber('${SUPPORT_NUMBER}'), {}), (e: unknown) => e instanceof MissingSecretError && e.variable === 'SUPPORT_NUMBER' && /needed by channels\.phone\.number/.test(e.message));
    assert.throws(() => phoneNumber(withNumber('${SUPPORT_NUMBER}'), { SUPPORT_NUMBER: '020 7946 0100' }), /channels\.phone\.number: \$\{SUPPORT_NUMBER\} holds "020 7946 0100", not an E\.164 number/);
    assert.equal(phoneNumberOrNone(withNumber('${SUPPORT_NUMBER}'), {}), undefined);
  });

  it('the schema takes E.164 or ${NAME}, nothing else', () => {
    assert.throws(() => withNumber('415-555-0123'), /use E\.164, e\.g\. \+14155550123, or \$\{ENV_NAME\} holding one/);
    assert.throws(() => withNumber('+1${EXT}'));
  });
});
