import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fillVariables, variablesUsed } from '../../src/agent/variables.ts';

describe('{{variables}} in the persona and first message', () => {
  it('fills known names, falls back, and leaves nothing half-filled', () => {
    assert.equal(fillVariables('Hi {{name}}, about order {{ Order_No }}.', { name: 'Ann', order_no: 'A1' }), 'Hi Ann, about order A1.');
    assert.equal(fillVariables('Hi {{name|there}}!', {}), 'Hi there!');
    assert.equal(fillVariables('Hi {{name|there}}!', { name: '' }), 'Hi there!');
    assert.equal(fillVariables('Hi {{name}}!', {}), 'Hi !');
    assert.equal(fillVariables('no {placeholders} here {{ }}', { name: 'x' }), 'no {placeholders} here {{ }}');
  });
  it('lists what a text uses', () => {
    assert.deepEqual(variablesUsed('{{name|there}} {{company}}'), [{ name: 'name', fallback: true }, { name: 'company', fallback: false }]);
  });
});
