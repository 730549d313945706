import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Campaigns, type NewContact } from '../../src/store/campaigns.ts';
import type { CampaignSettings } from '../../src/store/campaign-types.ts';
import { OutboundCalls } from '../../src/store/outbound-calls.ts';
import type { Store } from '../../src/store/store.ts';
import { openTestStore } from '../helpers/store.ts';

const SETTINGS: CampaignSettings = { window: { start: '09:00', end: '20:00', days: [1, 2, 3, 4, 5, 6, 7] }, concurrency: 2, perMinute: 3, maxAttempts: 3, retryMinutes: [30, 120] };
const T0 = '2027-03-02T15:00:00.000Z';
const plus = (iso: string, min: number) => new Date(Date.parse(iso) + min * 60_000).toISOString();
const contacts = (n: number): NewContact[] => Array.from({ length: n }, (_, i) => ({ row: i + 2, phone: `+4860123450${i}`, name: `C${i}`, timeZone: 'Europe/Warsaw', variables: { name: `C${i}` } }));
const open = () => null;

describe('campaign store: claims, caps, leases, retries, do-not-call', () => {
  let store: Store;
  let campaigns: Campaigns;
  let calls: OutboundCalls;
  before(async () => {
    store = await openTestStore();
    campaigns = new Campaigns(store);
    calls = new OutboundCalls(store);
  });
  after(() => store.close());

  it('two nodes claiming at once share the concurrency cap and never take the same contact', async () => {
    const id = await campaigns.create({ name: 'caps', agent: 'ada', settings: { ...SETTINGS, concurrency: 3, perMinute: 10 }, contacts: contacts(8), now: T0 });
    const claim = (owner: string) => campaigns.claim({ campaignId: id, owner, now: T0, leaseUntil: plus(T0, 15), settings: { ...SETTINGS, concurrency: 3, perMinute: 10 }, opensAt: open });
    const [a, b] = await Promise.all([claim('a'), claim('b')]);
    const ids = [...a, ...b].map((c) => c.id);
    assert.equal(ids.length, 3, 'three lines, across both nodes');
    assert.equal(new Set(ids).size, 3, 'no contact claimed twice');
    assert.deepEqual(await claim('c'), [], 'the cap is full');
    assert.equal((await campaigns.get(id))!.contacts.calling, 3);
  });

  it('the per-minute cap counts dials in the last 60 seconds', async () => {
    const id = await campaigns.create({ name: 'rate', agent: 'ada', settings: SETTINGS, contacts: contacts(5), now: T0 });
    const s = { ...SETTINGS, concurrency: 10 };
    const claim = (now: string) => campaigns.claim({ campaignId: id, owner: 'a', now, leaseUntil: plus(now, 15), settings: s, opensAt: open });
    assert.equal((await claim(T0)).length, 3);
    assert.equal((await claim(plus(T0, 0.5))).length, 0, 'three dials in this minute already');
    assert.equal((await claim(plus(T0, 1.01))).length, 2, 'a minute later, the rest');
  });

  it('a contact outside its window is put off until it opens; a listed number is set aside for good', async () => {
    const id = await campaigns.create({ name: 'window', agent: 'ada', settings: SETTINGS, contacts: contacts(2), now: T0 });
    await calls.addDoNotCall({ phone: '+48601234501', source: 'admin', now: T0 });
    const opens = plus(T0, 120);
    const claimed = await campaigns.claim({ campaignId: id, owner: 'a', now: T0, leaseUntil: plus(T0, 15), settings: SETTINGS, opensAt: () => opens });
    assert.deepEqual(claimed, []);
    const list = await campaigns.contacts(id);
    assert.equal(list[0]!.state, 'pending');
    assert.equal(list[0]!.nextAttemptAt, opens);
    assert.equal(list[1]!.state, 'do-not-call');
    assert.equal((await campaigns.claim({ campaignId: id, owner: 'a', now: opens, leaseUntil: plus(opens, 15), settings: SETTINGS, opensAt: open })).length, 1);
    await calls.removeDoNotCall('+48601234501');
  });

  it('busy is retried with back-off until maxAttempts, once per result; a paused campaign claims nothing', async () => {
    const id = await campaigns.create({ name: 'retry', agent: 'ada', settings: SETTINGS, contacts: contacts(1), now: T0 });
    let now = T0;
    const claimOne = async () => (await campaigns.claim({ campaignId: id, owner: 'a', now, leaseUntil: plus(now, 15), settings: SETTINGS, opensAt: open }))[0]!;
    let c = await claimOne();
    await campaigns.setCallSid(c.id, 'a', 'CA1', now);
    assert.equal(await campaigns.finishAttempt(c.id, 'CA1', { status: 'busy', outcome: 'busy' }, SETTINGS, now), 'pending');
    assert.equal(await campaigns.finishAttempt(c.id, 'CA1', { status: 'busy', outcome: 'busy' }, SETTINGS, now), undefined, 'a repeated callback changes nothing');
    assert.equal((await campaigns.contacts(id))[0]!.nextAttemptAt, plus(T0, 30));
    now = plus(T0, 29);
    assert.deepEqual(await campaigns.claim({ campaignId: id, owner: 'a', now, leaseUntil: plus(now, 15), settings: SETTINGS, opensAt: open }), []);
    now = plus(T0, 30);
    c = await claimOne();
    assert.equal(c.attempts, 2);
    await campaigns.setCallSid(c.id, 'a', 'CA2', now);
    assert.equal(await campaigns.finishAttempt(c.id, 'CA2', { status: 'no-answer', outcome: 'no-answer' }, SETTINGS, now), 'pending');
    assert.equal((await campaigns.contacts(id))[0]!.nextAttemptAt, plus(now, 120), 'the second retry waits longer');
    now = plus(now, 120);
    assert.ok(await campaigns.setState(id, ['running'], 'paused', now));
    assert.deepEqual(await campaigns.claim({ campaignId: id, owner: 'a', now, leaseUntil: plus(now, 15), settings: SETTINGS, opensAt: open }), []);
    assert.ok(await campaigns.setState(id, ['paused'], 'running', now));
    c = await claimOne();
    await campaigns.setCallSid(c.id, 'a', 'CA3', now);
    assert.equal(await campaigns.finishAttempt(c.id, 'CA3', { status: 'busy', outcome: 'busy' }, SETTINGS, now), 'unreachable', 'three attempts spent');
    assert.ok(await campaigns.finishIfDone(id, now));
    const view = (await campaigns.get(id))!;
    assert.equal(view.state, 'finished');
    assert.deepEqual(view.outcomes, { busy: 1 });
  });

  it('an expired lease is taken over by one node only; a released contact does not count the attempt', async () => {
    const id = await campaigns.create({ name: 'lease', agent: 'ada', settings: SETTINGS, contacts: contacts(2), now: T0 });
    const [a, b] = await campaigns.claim({ campaignId: id, owner: 'dead', now: T0, leaseUntil: plus(T0, 15), settings: SETTINGS, opensAt: open });
    assert.deepEqual(await campaigns.expired(plus(T0, 14)), []);
    const expired = (await campaigns.expired(plus(T0, 16))).filter((e) => e.campaignId === id);
    assert.equal(expired.length, 2);
    const took = await Promise.all(['x', 'y'].map((o) => campaigns.takeOver(a!.id, expired.find((e) => e.id === a!.id)!.leaseUntil, o, plus(T0, 17), plus(T0, 16))));
    assert.deepEqual(took.sort(), [false, true]);
    await campaigns.release(b!.id, 'dead', plus(T0, 16));
    const rows = await campaigns.contacts(id);
    assert.equal(rows.find((r) => r.id === b!.id)!.state, 'pending');
    assert.equal(rows.find((r) => r.id === b!.id)!.attempts, 0);
  });

  it('outbound calls: the voicemail message is claimed once; detection upgrades human to voicemail, a status never downgrades it', async () => {
    await calls.record({ callSid: 'CAvm', agent: 'ada', to: '+48601234500', now: T0 });
    await calls.record({ callSid: 'CAvm', agent: 'ada', to: '+48601234500', now: T0 }); // twice is once
    await calls.setOutcome('CAvm', 'human');
    await calls.setOutcome('CAvm', 'voicemail', 'amd');
    await calls.setOutcome('CAvm', 'no-answer');
    const got = (await calls.get('CAvm'))!;
    assert.equal(got.outcome, 'voicemail');
    assert.equal(got.detectedBy, 'amd');
    const claims = await Promise.all([calls.claimVoicemail('CAvm', null, 'left'), calls.claimVoicemail('CAvm', null, 'left')]);
    assert.deepEqual(claims.sort(), [false, true]);
    assert.equal(await calls.linkConversation('CAvm', 'c1'), true);
    assert.equal(await calls.linkConversation('CAvm', 'c2'), false, 'the first conversation keeps the call');
  });
});
