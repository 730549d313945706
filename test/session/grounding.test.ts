import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentTerms } from '../../src/knowledge/index.ts';
import { looksLikeQuestion, MIN_COVERAGE, mustDeclineUngrounded, termCoverage } from '../../src/session/grounding.ts';

// Chunks as search would return them for the questions below.
const SERVICES = 'Brightpath builds workflow automations for service businesses: invoicing automations for accountants, intake forms for clinics, and AI assistants that answer the phone. Every city we work in gets the same support.';
const PRICING = 'Pricing. Automation projects start at 2,000 EUR for a single workflow. Support plans cost 150 EUR per month.';

const decline = (text: string, chunks: string[]) => mustDeclineUngrounded(text, contentTerms(text), chunks);

describe('looksLikeQuestion', () => {
  it('recognises questions by their question mark', () => {
    for (const t of ['You do invoicing?', 'pricing?', '  and for clinics?  ']) assert.equal(looksLikeQuestion(t), true, t);
  });

  it('recognises questions by how they start, without a question mark', () => {
    for (const t of ['what do you charge', "What's the price", 'how long does a project take', 'Do you work with clinics', 'Is there a free trial', 'Can you build a chatbot', 'tell me about your services', 'I wonder whether you do audits', 'Which plans exist.']) {
      assert.equal(looksLikeQuestion(t), true, t);
    }
  });

  it('does not take statements for questions', () => {
    for (const t of ['My name is Ana.', 'We run a dental clinic', 'Thanks, bye', 'Howard from Acme here', 'Canada is where we are based', 'Whatever works for you.', 'Isabel speaking', '']) {
      assert.equal(looksLikeQuestion(t), false, t);
    }
  });
});

describe('termCoverage', () => {
  it('is the share of terms found in the chunks', () => {
    assert.equal(termCoverage(['invoicing', 'clinics'], [SERVICES]), 1);
    assert.equal(termCoverage(['invoicing', 'spaceships'], [SERVICES]), 0.5);
    assert.equal(termCoverage(['capital', 'city', 'australia'], [SERVICES]), 1 / 3);
    assert.equal(termCoverage(['spaceships'], [SERVICES, PRICING]), 0);
  });

  it('looks across all chunks and ignores case', () => {
    assert.equal(termCoverage(['brightpath', 'eur'], [SERVICES, PRICING]), 1);
    assert.equal(termCoverage(['eur'], [SERVICES]), 0);
  });

  it('matches longer words by a crude stem, shorter words whole', () => {
    // "automating" (10 letters) is cut to "automati", found in "automations".
    assert.equal(termCoverage(['automating'], ['We build automations.']), 1);
    // "prices" is cut to "pric", found in "pricing".
    assert.equal(termCoverage(['prices'], ['Pricing starts at 2,000 EUR.']), 1);
    // "plans" (5 letters) is not cut, so "plan" alone does not contain it.
    assert.equal(termCoverage(['plans'], ['One plan only.']), 0);
  });

  it('counts a question with no content terms as covered', () => {
    assert.equal(termCoverage([], []), 1);
    assert.equal(termCoverage([], [SERVICES]), 1);
  });

  it('finds nothing in no chunks', () => {
    assert.equal(termCoverage(['invoicing'], []), 0);
  });
});

describe('mustDeclineUngrounded', () => {
  it('declines an off-topic question whose only shared word is incidental', () => {
    const question = 'What is the capital city of Australia?';
    assert.deepEqual(contentTerms(question), ['capital', 'city', 'australia']);
    // Search ranked the services chunk because it mentions "city"; that covers a third of the question.
    assert.ok(termCoverage(contentTerms(question), [SERVICES]) < MIN_COVERAGE);
    assert.equal(decline(question, [SERVICES]), true);
  });

  it('declines a question when nothing at all was found', () => {
    assert.equal(decline('Who won the football world cup?', []), true);
    assert.equal(decline('how tall is mount everest', []), true);
  });

  it('answers a question the documents cover', () => {
    assert.equal(decline('Do you build invoicing automations for accountants?', [SERVICES]), false);
    assert.equal(decline('How much do automation projects cost?', [PRICING]), false);
  });

  it('answers when exactly half the terms are covered', () => {
    assert.equal(MIN_COVERAGE, 0.5);
    assert.equal(decline('Do you build spaceships?', ['We build workflows.']), false);
  });

  it('does not decline small talk with no content terms', () => {
    for (const t of ['How are you?', 'What?', 'Are you still there?', 'Could you say that once more?', 'Hey, what is up?']) {
      assert.deepEqual(contentTerms(t), [], t);
      assert.equal(decline(t, []), false, t);
    }
  });

  it('does not decline statements, even off-topic ones', () => {
    for (const t of ['My company makes bridges.', 'We are a bakery in Kraków.', 'The weather in Sydney is lovely']) assert.equal(decline(t, []), false, t);
  });

  it('does not decline the agent’s own tasks', () => {
    for (const t of [
      'Can I book a call tomorrow?',
      'Could we schedule a meeting on Friday afternoon?',
      'Do you have any slots available next week?',
      'Can you spell my email back?',
      'Could you repeat that again?',
      'What times are free on Monday morning?',
      'Is this a real person?',
      'Am I talking to a robot?',
    ]) {
      assert.ok(contentTerms(t).length > 0, t);
      assert.equal(decline(t, []), false, t);
    }
  });

  it('does not decline when the caller gave no content terms even if the text looks like a question', () => {
    assert.equal(mustDeclineUngrounded('What is this about?', [], []), false);
  });
});

describe('a webhook that answers the question counts as coverage', () => {
  it('does not decline an order question when a tool looks up order status', () => {
    const q = 'Where is my order A10023?';
    assert.equal(decline(q, []), true);
    assert.equal(decline(q, ['order status Look up the status of an order by its number']), false);
  });
});
