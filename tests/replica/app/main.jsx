// Entry of the replica's React bundle (/_replica/react-app.js, built by esbuild when the server starts).
// Mounts itself on a full load of a page that has `#react-root[data-replica-app]`, and offers
// `window.replicaReact.mountForm(container, props)` to the client-side router (assets/app.js), which
// renders the form when the feed app navigates into it without a document load.
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { ObjectionForm } from './ObjectionForm.jsx';
import { PrivacyFlow } from './PrivacyFlow.jsx';
import { ServiceApp } from './services/ServiceApp.jsx';

// What the server told the page: the confirmation wording id (`?confirm=`, Accept-Language or default).
const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? '';

// The first render is synchronous (flushSync), so the form exists when the script that mounts it returns:
// before DOMContentLoaded on a full load (like a server-rendered page), and within the router's render()
// on a client-side move (like the rest of app.js). Later renders are React's usual scheduled ones.
function mount(container, element) {
  const root = createRoot(container);
  flushSync(() => root.render(element));
  return () => root.unmount();
}

window.replicaReact = {
  // → unmount function
  mountForm(container, { site, formId }) {
    return mount(container, <ObjectionForm site={site} formId={formId} confirm={meta('replica-confirm')} />);
  },
};

const root = document.getElementById('react-root');
if (root?.dataset.replicaApp === 'objection-form') {
  window.replicaReact.mountForm(root, { site: root.dataset.site, formId: root.dataset.formId });
} else if (root?.dataset.replicaApp === 'privacy-flow') {
  mount(root, <PrivacyFlow confirm={meta('replica-confirm')} />);
} else if (root?.dataset.replicaApp === 'service') {
  // LinkedIn, X, Google (issue 15): what the server read from the rules arrives as a JSON data block.
  mount(root, <ServiceApp config={JSON.parse(document.getElementById('replica-config').textContent)} />);
}
