import { render } from 'preact';
import { Agents, Embed } from './agents.tsx';
import { Conversation } from './conversation.tsx';
import { Campaign, Campaigns } from './campaigns.tsx';
import { Conversations } from './conversations.tsx';
import { Events } from './events.tsx';
import { Leads } from './leads.tsx';
import { Overview } from './overview.tsx';
import { href, useRoute } from './router.ts';
import { Sandbox } from './sandbox.tsx';
import { STYLE } from './style.ts';

// The dashboard (served at /dashboard by src/server/routes/dashboard.ts): conversations, the
// sandbox, agents and their embed snippets, over the admin API. See docs/dashboard.md.

const mode = document.querySelector<HTMLMetaElement>('meta[name="parley-mode"]')?.content ?? 'serve';

function App() {
  const { parts, query } = useRoute();
  const [section, id, sub] = parts;
  let page;
  if (section === 'conversations' && id) page = <Conversation id={id} />;
  else if (section === 'sandbox') page = <Sandbox agent={id} />;
  else if (section === 'agents' && id && sub === 'embed') page = <Embed agent={id} />;
  else if (section === 'agents') page = <Agents />;
  else if (section === 'overview') page = <Overview query={query} />;
  else if (section === 'leads' || section === 'bookings') page = <Leads list={section} query={query} />;
  else if (section === 'conversations') page = <Conversations query={query} />;
  else if (section === 'events') page = <Events query={query} />;
  else if (section === 'campaigns' && id) page = <Campaign id={id} />;
  else if (section === 'campaigns') page = <Campaigns />;
  else page = <Overview query={query} />;
  const nav = (to: string, label: string) => (
    <a href={href(`/${to}`)} class={section === to || (section === 'bookings' && to === 'leads') || (!section && to === 'overview') ? 'active' : ''}>
      {label}
    </a>
  );
  return (
    <div class="layout">
      <header class="top">
        <span class="brand">Parley</span>
        <nav>
          {nav('overview', 'Overview')}
          {nav('conversations', 'Conversations')}
          {nav('leads', 'Leads')}
          {nav('campaigns', 'Campaigns')}
          {nav('events', 'Events')}
          {nav('sandbox', 'Sandbox')}
          {nav('agents', 'Agents')}
        </nav>
        <span class="spacer" />
        {mode === 'dev' ? (
          <span class="badge muted-badge" title="parley dev: open to this machine without a password">dev</span>
        ) : (
          <form method="post" action="/dashboard/logout">
            <button class="btn ghost small">Log out</button>
          </form>
        )}
      </header>
      <main class="main">{page}</main>
    </div>
  );
}

const style = document.createElement('style');
style.textContent = STYLE;
document.head.append(style);
render(<App />, document.getElementById('app')!);
