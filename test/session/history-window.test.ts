import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModelMessage } from 'ai';
import { CHARS_PER_TOKEN, estimateTokens, historyWindow } from '../../src/session/history-window.ts';

const user = (text: string): ModelMessage => ({ role: 'user', content: text });
const agent = (text: string): ModelMessage => ({ role: 'assistant', content: text });
const call = (id: string): ModelMessage => ({ role: 'assistant', content: [{ type: 'tool-call', toolCallId: id, toolName: 'order_status', input: { order: 'A1' } }] });
const result = (id: string, body: string): ModelMessage => ({ role: 'tool', content: [{ type: 'tool-result', toolCallId: id, toolName: 'order_status', output: { type: 'json', value: { body } } }] });

const tokens = (messages: ModelMessage[]) => messages.reduce((n, m) => n + estimateTokens(m), 0);

describe('historyWindow: one model call reads at most brain.maxInputTokens', () => {
  it('over-counts tokens (3 characters a token, not the usual 4)', () => {
    assert.equal(CHARS_PER_TOKEN, 3);
    assert.equal(estimateTokens('x'.repeat(3000)), 1000);
  });

  it('a history that fits is sent whole', () => {
    const history = [agent('Hello.'), user('Hi'), agent('How can I help?')];
    assert.deepEqual(historyWindow(history, { instructions: 'Be kind.', turn: user('What is the price?'), maxInputTokens: 1000 }), history);
  });

  it('leaves out the oldest turns first, keeping the newest that fit with the instructions and the current turn', () => {
    const history = Array.from({ length: 40 }, (_, i) => (i % 2 ? agent(`answer ${i} ${'a'.repeat(600)}`) : user(`question ${i} ${'q'.repeat(600)}`)));
    const instructions = 'p'.repeat(3000);
    const turn = user('t'.repeat(1500));
    const window = historyWindow(history, { instructions, turn, maxInputTokens: 4000 });
    assert.ok(window.length > 0 && window.length < history.length);
    assert.deepEqual(window, history.slice(history.length - window.length), 'a suffix: the newest turns');
    assert.ok(tokens(window) + estimateTokens(instructions) + estimateTokens(turn) <= 4000);
    const one = history.slice(history.length - window.length - 1);
    assert.ok(tokens(one) + estimateTokens(instructions) + estimateTokens(turn) > 4000, 'and no older message would have fitted');
  });

  it('never splits a tool call from its result: a cut that would fall between them drops both', () => {
    // The budget ends inside the call/result pair: the result alone would fit, the call would not.
    const history = [user('where is A1?'), call('c1'), result('c1', 'r'.repeat(300)), agent('It has shipped.')];
    const fixed = estimateTokens('') + estimateTokens(user('next'));
    const room = estimateTokens(history[3]) + estimateTokens(history[2]) + 5;
    const window = historyWindow(history, { instructions: '', turn: user('next'), maxInputTokens: fixed + room });
    assert.deepEqual(window, [history[3]]);
    assert.ok(!window.some((m) => m.role === 'tool'));
    const whole = historyWindow(history, { instructions: '', turn: user('next'), maxInputTokens: fixed + tokens(history.slice(1)) });
    assert.deepEqual(whole, history.slice(1), 'with room for the pair, both are sent');
  });

  it('a huge current turn or prompt leaves no history at all, but is never cut itself', () => {
    const history = [agent('Hello.'), user('Hi')];
    assert.deepEqual(historyWindow(history, { instructions: 'x', turn: user('y'.repeat(100_000)), maxInputTokens: 1000 }), []);
    assert.deepEqual(historyWindow(history, { instructions: 'x'.repeat(100_000), turn: user('y'), maxInputTokens: 1000 }), []);
    assert.deepEqual(historyWindow([], { instructions: '', turn: user('y'), maxInputTokens: 1000 }), []);
  });
});
