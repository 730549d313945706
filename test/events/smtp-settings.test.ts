import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeSmtp, mailConfigured, smtpSettings } from '../../src/events/mail-config.ts';
import { emailSender } from '../../src/events/mail.ts';
import { EventsOut } from '../../src/server/events-out.ts';
import { withoutPassword } from '../../src/util/service-url.ts';
import { startSmtpServer } from '../helpers/smtp.ts';

// The SMTP server as one URL or as the separate variables a host hands out: both reach it.

describe('SMTP settings', () => {
  it('reads host, port, user, password and secure; the URL wins when both are set', () => {
    assert.equal(smtpSettings({}), undefined);
    assert.deepEqual(smtpSettings({ PARLEY_SMTP_HOST: 'smtp.example.com', PARLEY_SMTP_USER: 'u', PARLEY_SMTP_PASSWORD: 'p@ss:/word' }), { host: 'smtp.example.com', port: 587, secure: false, auth: { user: 'u', pass: 'p@ss:/word' } });
    assert.deepEqual(smtpSettings({ PARLEY_SMTP_HOST: 'smtp.example.com', PARLEY_SMTP_PORT: '465' }), { host: 'smtp.example.com', port: 465, secure: true });
    assert.equal((smtpSettings({ PARLEY_SMTP_HOST: 'h', PARLEY_SMTP_PORT: '2525', PARLEY_SMTP_SECURE: 'true' }) as { secure: boolean }).secure, true);
    assert.equal((smtpSettings({ PARLEY_SMTP_HOST: 'h', PARLEY_SMTP_PORT: '465', PARLEY_SMTP_SECURE: 'false' }) as { secure: boolean }).secure, false);
    assert.deepEqual(smtpSettings({ PARLEY_SMTP_URL: 'smtp://a:b@x:25', PARLEY_SMTP_HOST: 'other' }), { url: 'smtp://a:b@x:25' });
    assert.throws(() => smtpSettings({ PARLEY_SMTP_HOST: 'h', PARLEY_SMTP_PORT: 'abc' }), /PARLEY_SMTP_PORT "abc" is not a port number/);
    assert.equal(mailConfigured({ PARLEY_SMTP_HOST: 'h', PARLEY_MAIL_FROM: 'a@b.example' }), true);
    assert.equal(mailConfigured({ PARLEY_SMTP_HOST: 'h' }), false);
  });

  it('the start-up log names the server without the password', () => {
    const settings = smtpSettings({ PARLEY_SMTP_HOST: 'smtp.example.com', PARLEY_SMTP_USER: 'u', PARLEY_SMTP_PASSWORD: 'secret-99' })!;
    assert.equal(describeSmtp(settings, withoutPassword), 'smtp://u@smtp.example.com:587');
    const { info, warn } = EventsOut.describe({ PARLEY_SMTP_HOST: 'smtp.example.com', PARLEY_SMTP_USER: 'u', PARLEY_SMTP_PASSWORD: 'secret-99', PARLEY_MAIL_FROM: 'a@b.example' });
    assert.ok(info.some((l) => l.includes('smtp://u@smtp.example.com:587')) && !info.join().includes('secret-99'), info.join('\n'));
    assert.ok(warn.some((w) => /cancel link/.test(w)));
    assert.match(EventsOut.describe({ PARLEY_SMTP_HOST: 'h' }).warn.join(), /PARLEY_SMTP_HOST is set but PARLEY_MAIL_FROM is not/);
  });

  it('an email goes out through separate host, port, user and password variables', async () => {
    const smtp = await startSmtpServer();
    try {
      const env = { PARLEY_SMTP_HOST: '127.0.0.1', PARLEY_SMTP_PORT: String(smtp.port), PARLEY_SMTP_USER: 'parley', PARLEY_SMTP_PASSWORD: 'mail-secret-123', PARLEY_MAIL_FROM: 'bookings@acme.example' };
      const config = { description: 'Acme', persona: { language: 'en' }, events: { email: { to: 'owner@acme.example', bookings: true, leads: true } }, calendar: undefined } as never;
      const send = emailSender({ env, config: () => config });
      const out = await send({ id: 'd1', destination: 'email:owner-lead', attempts: 0, target: { kind: 'email', message: 'owner-lead', to: ['owner@acme.example'] }, event: { id: 'msg_1', agent: 'shop', type: 'lead.saved', data: { lead: { name: 'Lee' } }, conversationId: null, createdAt: new Date().toISOString() } }, AbortSignal.timeout(10_000));
      assert.equal(out.ok, true, out.error ?? '');
      assert.deepEqual(smtp.received.map((m) => m.to), [['owner@acme.example']]);
    } finally {
      await smtp.close();
    }
  });
});
