import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvCell, toCsv } from '../../src/util/csv.ts';

// CSV a spreadsheet opens safely: what a caller said can never run as a formula.

test('cells that a spreadsheet would run as a formula are shown as text', () => {
  for (const evil of ['=HYPERLINK("http://evil.example")', '+1+cmd|/C calc', '-2+3', '@SUM(A1:A9)', '\t=1', '\r=1']) {
    assert.ok(csvCell(evil).replace(/^"/, '').startsWith("'"), evil);
  }
  assert.equal(csvCell('=1+1'), "'=1+1");
  assert.equal(csvCell('Jane = CEO'), 'Jane = CEO', 'only a leading sign is a formula');
});

test('quotes what needs quoting, and writes CRLF rows', () => {
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell('two\nlines'), '"two\nlines"');
  assert.equal(csvCell('=x,"y"'), `"'=x,""y"""`);
  assert.equal(csvCell(null), '');
  assert.equal(csvCell(12.5), '12.5');
  assert.equal(csvCell({ a: 1 }), '"{""a"":1}"');
  assert.equal(toCsv(['name', 'company'], [['Jane', 'Acme, Inc.']]), 'name,company\r\nJane,"Acme, Inc."\r\n');
});
