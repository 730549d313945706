import css from './styles.css';
import { el, WidgetPanel, type Look } from './panel.ts';

// The embeddable widget. The owner pastes
//   <script src="https://HOST/widget.js" data-agent="NAME" async></script>
// and gets a launcher in the corner. Everything lives in a shadow root, so the page's styles
// cannot break it and ours cannot leak. The look comes from the agent's channels.web.widget;
// when this site is not in the agent's allowedOrigins the widget says so and opens nothing.

interface Answer extends Look {
  available: boolean;
  color: string;
  position: 'bottom-right' | 'bottom-left';
  error?: string;
  /** Why it is not available, in the agent's language. */
  message?: string;
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
  const look = (res ? await res.json().catch(() => null) : null) as Answer | null;
  const box = el('div', { class: `root ${look?.position ?? 'bottom-right'}` });
  box.style.setProperty('--c', look?.color ?? '#4f46e5');
  root.append(box);
  if (!look || !look.available) {
    host.setAttribute('data-state', 'unavailable');
    box.append(el('div', { class: 'unavailable', role: 'status' }, look?.message ?? 'This assistant is not available on this site.'));
    return;
  }
  new WidgetPanel(box, host, server, agent, { label: look.label, avatar: look.avatar, notice: look.notice ?? null, texts: look.texts });
}
