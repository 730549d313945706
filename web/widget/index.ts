import css from './styles.css';
import { WidgetSession, type SessionView } from './session.ts';

// The embeddable widget. The owner pastes
//   <script src="https://HOST/widget.js" data-agent="NAME" async></script>
// and gets a bubble in the corner. Everything lives in a shadow root, so the page's styles
// cannot break it and ours cannot leak. The look comes from the agent's channels.web.widget;
// when this site is not in the agent's allowedOrigins the widget says so and opens nothing.

interface Look {
  available: boolean;
  label: string;
  color: string;
  position: 'bottom-right' | 'bottom-left';
  avatar: string | null;
  error?: string;
}

const script = (document.currentScript as HTMLScriptElement | null) ?? document.querySelector<HTMLScriptElement>('script[data-agent][src*="widget.js"]');
if (script?.dataset.agent) void mount(new URL(script.src).origin, script.dataset.agent);

async function mount(server: string, agent: string): Promise<void> {
  const host = document.createElement('parley-widget');
  host.setAttribute('data-agent', agent);
  const root = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = css;
  root.append(style);
  document.body.append(host);

  const res = await fetch(`${server}/v1/agents/${encodeURIComponent(agent)}/widget`).catch(() => null);
  const look = (res ? await res.json().catch(() => null) : null) as Look | null;
  const box = el('div', { class: `root ${look?.position ?? 'bottom-right'}` });
  box.style.setProperty('--c', look?.color ?? '#4f46e5');
  root.append(box);
  if (!look || !look.available) {
    host.setAttribute('data-state', 'unavailable');
    box.append(el('div', { class: 'unavailable', role: 'status' }, 'This assistant is not available on this site.'));
    return;
  }

  const bubble = el('button', { class: 'bubble', type: 'button', 'aria-label': `${look.label}: start conversation` });
  if (look.avatar) bubble.append(el('img', { class: 'avatar', src: look.avatar, alt: '' }));
  bubble.append(look.label);
  const status = el('span', { class: 'status', 'aria-live': 'polite' });
  const captions = el('div', { class: 'captions', 'aria-live': 'polite', role: 'log' });
  const mute = el('button', { type: 'button', 'aria-pressed': 'false' }, 'Mute');
  const end = el('button', { type: 'button', class: 'end' }, 'End');
  const controls = el('div', { class: 'controls' }, mute, end);
  const input = el('input', { type: 'text', placeholder: 'Type your message…', 'aria-label': 'Your message' }) as HTMLInputElement;
  const typing = el('form', { class: 'type', hidden: '' }, input, el('button', { type: 'submit' }, 'Send'));
  const panel = el('div', { class: 'panel', hidden: '', role: 'dialog', 'aria-label': look.label }, el('div', { class: 'head' }, look.label, status), captions, typing, controls);
  box.append(panel, bubble);
  host.setAttribute('data-state', 'idle');

  let session: WidgetSession | undefined;
  const partial: Partial<Record<'agent' | 'caller', HTMLElement>> = {};
  const view: SessionView = {
    state(s, detail) {
      host.setAttribute('data-state', s);
      status.textContent = detail ? `${s} · ${detail}` : s;
      if (s === 'ended' || s === 'error') {
        captions.append(el('div', { class: 'note' }, s === 'ended' ? 'Conversation ended.' : `Something went wrong${detail ? `: ${detail}` : ''}.`));
        controls.hidden = true;
        typing.hidden = true;
        bubble.hidden = false;
        session = undefined;
      }
    },
    caption(role, text, final) {
      let line = partial[role];
      if (!line) {
        line = el('div', { class: `line ${role}`, 'data-role': role });
        captions.append(line);
        partial[role] = line;
      }
      line.textContent = text;
      line.classList.toggle('partial', !final);
      if (final) partial[role] = undefined;
      captions.scrollTop = captions.scrollHeight;
    },
    mode(m) {
      host.setAttribute('data-mode', m);
      typing.hidden = m !== 'text';
      mute.hidden = m !== 'voice';
      if (m === 'text') captions.append(el('div', { class: 'note' }, 'Microphone not available: type instead.'));
    },
  };

  bubble.addEventListener('click', () => {
    if (session) return;
    panel.hidden = false;
    controls.hidden = false;
    bubble.hidden = true;
    captions.replaceChildren();
    session = new WidgetSession(server, agent, view);
    void session.start();
  });
  mute.addEventListener('click', () => {
    const on = mute.getAttribute('aria-pressed') !== 'true';
    mute.setAttribute('aria-pressed', String(on));
    mute.textContent = on ? 'Unmute' : 'Mute';
    session?.mute(on);
  });
  end.addEventListener('click', () => session?.end());
  typing.addEventListener('submit', (e) => {
    e.preventDefault();
    session?.say(input.value);
    input.value = '';
  });
}

function el(tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}
