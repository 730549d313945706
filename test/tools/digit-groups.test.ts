import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fieldReadBackState, readBackRefusal, saidInGroups } from '../../src/tools/collect/read-back.ts';

// `confirm: digits` means said digit by digit: a voice reads "6751234567" as one number ("sześć
// miliardów…"), so a run of more than four digits is no read-back (accounting LOG 6).

const nip = { confirm: 'digits', type: 'text' } as const;
const phone = { confirm: 'digits', type: 'phone' } as const;
const heard = (agent: string, caller = 'Tak, zgadza się.') => [
  { role: 'agent' as const, text: agent },
  { role: 'caller' as const, text: caller },
];

describe('confirm: digits needs the digits in groups or one by one', () => {
  it('refuses a NIP said as one run of digits, however it is punctuated', () => {
    for (const said of ['NIP 6751234567, zgadza się?', 'Pana NIP to 6751234567.', 'NIP 6,751,234,567?', 'NIP 67512 34567?']) {
      assert.equal(fieldReadBackState(nip, '6751234567', heard(said), 'pl').state, 'not-read-back', said);
    }
    const why = readBackRefusal('nip', nip, '6751234567', 'sześć siedem pięć, jeden dwa trzy, cztery pięć sześć siedem', heard('NIP 6751234567, zgadza się?'), 'pl');
    assert.match(why ?? '', /^read it back digit by digit, in groups \("sześć siedem pięć.*"\), not as one long number, and wait for a yes for nip before booking$/);
  });

  it('accepts the NIP in groups, one by one, or in Polish digit words', () => {
    for (const said of [
      'NIP 675 123 45 67, zgadza się?',
      'NIP 675-123-45-67?',
      'NIP 6 7 5 1 2 3 4 5 6 7?',
      'NIP 6751 2345 67?',
      'NIP: sześć siedem pięć, jeden dwa trzy, cztery pięć, sześć siedem?',
      'NIP: sześć, siedem, pięć, jeden, dwa, trzy, cztery, pięć, sześć, siedem',
    ]) {
      assert.equal(fieldReadBackState(nip, '6751234567', heard(said), 'pl').state, 'confirmed', said);
    }
  });

  it('a phone said as one number is no read-back; in the groups people say it, it is', () => {
    assert.equal(fieldReadBackState(phone, '+447911123456', heard('So that is +447911123456?', 'yes'), 'en').state, 'not-read-back');
    assert.equal(fieldReadBackState(phone, '+447911123456', heard('So that is 07911 123456?', 'yes'), 'en').state, 'not-read-back');
    assert.equal(fieldReadBackState(phone, '+447911123456', heard('So that is 07911 123 456?', 'yes'), 'en').state, 'not-read-back', '07911 is five digits');
    assert.equal(fieldReadBackState(phone, '+447911123456', heard('plus four four, seven nine one one, one two three, four five six?', 'yes'), 'en').state, 'confirmed');
    assert.equal(fieldReadBackState(phone, '+447911123456', heard('0 7 9 1 1, 123 456?', 'yes'), 'en').state, 'confirmed');
  });

  it('a long run elsewhere in the turn does not join the digits either side of it', () => {
    assert.deepEqual(saidInGroups('NIP 675 123 45 67, order 123456789'), ['NIP 675 123 45 67, order ', '']);
    assert.equal(fieldReadBackState(nip, '6751234567', heard('675 12345678 34567'), 'pl').state, 'not-read-back');
  });
});
