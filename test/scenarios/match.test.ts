import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { literalPattern, mismatch, patternProblem, textPattern } from '../../src/scenarios/match.ts';

describe('scenario patterns', () => {
  it('matches plain text as a case-insensitive substring, whitespace and curly quotes normalised', () => {
    assert.equal(textPattern("won't GUESS").find('I don’t know, so I   won’t guess.'), "won't guess");
    assert.equal(textPattern('discount').find('No offers.'), undefined);
  });

  it('matches /regex/flags as a regular expression, the same way every time', () => {
    const p = textPattern('/\\b2,?400\\b/g');
    assert.equal(p.find('It is 2,400 euros'), '2,400');
    assert.equal(p.find('It is 2,400 euros'), '2,400', 'the g flag does not make it stateful');
    assert.equal(textPattern('/DISCOUNT/i').find('a discount'), 'discount');
    assert.equal(textPattern('/api/leads').find('POST /api/leads'), '/api/leads', 'not a regex: "leads" are not flags');
  });

  it('names what is wrong with an invalid regex', () => {
    assert.equal(patternProblem('/(/'), 'invalid regular expression /(/: Unterminated group');
    assert.equal(patternProblem('plain (text'), undefined);
  });

  it('escapes recorded text that would read as a regex', () => {
    assert.equal(literalPattern('/home/x/'), '/\\/home\\/x\\//');
    assert.equal(textPattern(literalPattern('/home/x/')).find('path /home/x/ here'), '/home/x/');
    assert.equal(literalPattern('Jane Doe'), 'Jane Doe');
  });

  it('matches values partially and says where they differ', () => {
    const call = { name: 'Jane Doe', email: 'jane@other.io', tags: ['vip', 'eu'], size: 12, headers: { 'Content-Type': 'application/json' } };
    assert.equal(mismatch({ name: 'jane', size: 12, tags: ['eu'], headers: { 'content-type': 'json' } }, call), undefined);
    assert.equal(mismatch({ email: '/@acme\\./' }, call), 'email: expected /@acme\\./, got "jane@other.io"');
    assert.equal(mismatch({ size: 13 }, call), 'size: expected 13, got 12');
    assert.equal(mismatch({ phone: 'x' }, call), 'phone: expected "x", got nothing');
    assert.equal(mismatch({ tags: ['us'] }, call), 'tags: no item matches "us" (item 1); got ["vip","eu"]');
    assert.equal(mismatch({ a: { b: 1 } }, { a: 'flat' }), 'a: expected an object, got "flat"');
  });

  it('reads an empty list as "exactly empty", not as a list every list contains', () => {
    assert.equal(mismatch({ slots: [] }, { slots: [] }), undefined);
    assert.equal(mismatch({ slots: [] }, { slots: [{ start: '2026-12-01T14:00:00Z' }] }), 'slots: expected an empty list, got [{"start":"2026-12-01T14:00:00Z"}]');
    assert.equal(mismatch({ slots: [] }, {}), 'slots: expected a list, got nothing');
    assert.equal(mismatch({ tags: ['eu'] }, { tags: ['vip', 'eu'] }), undefined, 'a list with items still matches by containment');
  });
});
