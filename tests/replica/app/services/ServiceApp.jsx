// The replicas of LinkedIn, X and Google My Activity (issue 15), one React app rendered client-side on
// every page of their hosts (README "Services beyond Meta"). What the server knows from the rules files
// (labels, paths, how the control is found, the state it keeps) arrives in script#replica-config; nothing
// of it is written here. Wording that is the replica's own is marked in SOURCES.md.
import { Fragment, useEffect, useRef, useState } from 'react';
import { useClientPath } from '../clientPath.jsx';
import { ACCOUNT, routeOf, X_MENU } from './routes.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The services save a setting with an XHR; so does the replica, to the server's state hook.
async function stateRequest(config, body) {
  const res = await fetch(config.statePath, {
    method: body ? 'POST' : 'GET', credentials: 'same-origin',
    headers: { 'x-replica-hook': 'state', ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`state hook: ${res.status}`);
  return (await res.json())[config.service];
}

// A link that moves client-side (pushState), or a plain link (a document load) where `client` is false.
function Link({ to, link, client = true, children }) {
  return (
    <a href={to} data-replica-link={link} onClick={client ? (e) => {
      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
      e.preventDefault();
      window.replicaNavigate(to);
    } : undefined}>{children}</a>
  );
}

export function ServiceApp({ config }) {
  const path = useClientPath();
  const page = routeOf(config.service, path, config.paths, config.onLinkHost);
  const login = config.variants.includes('login') || page === 'login';
  let body;
  if (login) body = <LoginWall service={config.service} />;
  else if (config.service === 'linkedin') body = <LinkedIn page={page} config={config} />;
  else if (config.service === 'x') body = <X page={page} config={config} />;
  else body = <Google page={page} config={config} />;
  return (
    <div data-replica-path={path}>
      {!login && <p className="replica-meta" data-replica-account="">{ACCOUNT.name} · {ACCOUNT.email}</p>}
      {body}
      {config.service === 'linkedin' && config.variants.includes('cookies') && <CookieBanner />}
    </div>
  );
}

// ── The setting (state, saving, re-rendering, replacement) shared by the three services ──
function useSetting(config) {
  const [loaded, setLoaded] = useState(false);
  const [state, setState] = useState(config.state);
  const [saved, setSaved] = useState(config.state);
  const [renders, setRenders] = useState(0);
  const [generation, setGeneration] = useState(0);
  // A failed request shows here, not in the console: a page left mid-request (a test moving on) aborts its
  // fetch, and the suites count console errors.
  const [error, setError] = useState(null);
  const latest = useRef(0);
  useEffect(() => {
    let live = true;
    // The setting arrives like an XHR answer: not before LOAD_MS, and as the server has it now (a
    // client-side move on X reaches this page without a document load).
    Promise.all([stateRequest(config), sleep(config.loadMs)]).then(([s]) => {
      if (!live) return;
      setState(s); setSaved(s); setLoaded(true);
    }, (e) => { if (live) setError(String(e.message ?? e)); });
    const churn = config.variants.includes('churn');
    const tick = setInterval(() => {
      setRenders((n) => n + 1);
      if (churn) setGeneration((g) => g + 1);
    }, config.tickMs);
    window.replicaSettingReplace = () => setGeneration((g) => g + 1);
    return () => { live = false; clearInterval(tick); };
  }, []);
  const save = async (next) => {
    const seq = ++latest.current;
    setState(next); // a switch moves at once; the save follows
    let s;
    try {
      s = await stateRequest(config, { service: config.service, state: next });
    } catch (e) {
      setError(String(e.message ?? e));
      return;
    }
    if (seq !== latest.current) return; // a later click's save decides
    setState(s); setSaved(s);
    setGeneration((g) => g + 1); // the services reload the setting after saving: a new element
  };
  const attrs = { 'data-replica-setting': config.service, 'data-replica-loaded': String(loaded),
    'data-replica-state': state, 'data-replica-saved': saved, 'data-replica-renders': renders,
    'data-replica-generation': generation, 'data-replica-label': config.setting.label.source,
    'data-replica-error': error ?? undefined };
  return { loaded, on: state === 'on', save, generation, attrs };
}

// A checkbox or switch with a <label for>. `role` "switch" on LinkedIn's, none on X's plain checkbox.
function CheckboxControl({ config, setting, role }) {
  const id = `replica-control-${setting.generation}`;
  return (
    <div className="replica-setting-row">
      <label htmlFor={id}>{config.setting.label.text}</label>
      <input type="checkbox" id={id} role={role} aria-checked={role ? String(setting.on) : undefined}
        checked={setting.on} data-replica-control={config.service}
        onChange={(e) => setting.save(e.target.checked ? 'on' : 'off')} />
    </div>
  );
}

function SettingSection({ config, children }) {
  const setting = useSetting(config);
  // `hydrate`: the app draws the control before the setting arrives, unticked, as an app's first render
  // can; the same element then shows the stored state (an "off" a page shows for a moment is not the user's).
  const early = !setting.loaded && config.variants.includes('hydrate');
  return (
    <section className="replica-setting" {...setting.attrs}>
      {/* A new generation is a new subtree: the control is a new element, as after the services reload it. */}
      {setting.loaded || early
        ? <Fragment key={setting.generation}>{children(early ? { ...setting, on: false } : setting)}</Fragment>
        : <div className="replica-skeleton" aria-busy="true" aria-label="Loading" />}
    </section>
  );
}

// ── LinkedIn ──
function LinkedIn({ page, config }) {
  const settingUrl = config.paths.setting[0];
  const objectionUrl = config.paths.objection[0];
  const nav = (
    <div role="banner" className="replica-nav" aria-label="LinkedIn">
      <a href="/feed/" className="replica-logo" aria-label="LinkedIn">in</a>
      <a href="/feed/" data-replica-link="feed">Home</a>
      <a href={settingUrl} data-replica-link="setting">Settings &amp; Privacy</a>
    </div>
  );
  let main;
  if (page === 'feed') {
    main = (
      <main data-replica-route="feed">
        <article data-replica-post="1"><header>Kai Example · 2nd</header>
          <p>Excited to share that our team shipped a new release this week. Thanks to everyone involved!</p></article>
        <article data-replica-post="quote"><header>Ana Sample · 1st</header>
          <p>PSA for everyone in Europe: go to Settings &amp; Privacy → Data privacy → {config.setting.name}.
            Mine said: “{config.setting.label.text}” <span className="replica-fake-toggle">On</span>. Turn it off!</p></article>
        <article data-replica-post="3"><header>Example Corp · Promoted</header>
          <p>We are hiring. Apply today.</p></article>
        <p><Link to={settingUrl} link="setting" client={false}>{config.setting.name}</Link>
          {objectionUrl && <> · <Link to={objectionUrl} link="objection" client={false}>{config.objection.name}</Link></>}</p>
      </main>
    );
  } else if (page === 'setting') {
    main = (
      <main data-replica-route="setting">
        <p><a href="/feed/">Back</a></p>
        <h1>{config.setting.name}</h1>
        <p>Can LinkedIn use your personal data and content you create on LinkedIn to train generative AI models
          that create content?</p>
        <SettingSection config={config}>
          {(s) => <CheckboxControl config={config} setting={s} role="switch" />}
        </SettingSection>
      </main>
    );
  } else {
    main = <main data-replica-route="objection"><ObjectionForm config={config} /></main>;
  }
  return <>{nav}{main}</>;
}

function ObjectionForm({ config }) {
  const [reason, setReason] = useState('');
  const [country, setCountry] = useState('DE');
  const [sent, setSent] = useState(null);
  if (sent) {
    return (
      <section data-replica-page="linkedin-objection" data-replica-state="submitted">
        <h1>{config.objection.name}</h1>
        <p id="replica-received" role="status">Thanks, we've received your request.</p>
        <dl><dt>country</dt><dd id="replica-submitted-country">{sent.country}</dd>
          <dt>reason</dt><dd id="replica-submitted-reason">{sent.reason}</dd></dl>
      </section>
    );
  }
  return (
    <section data-replica-page="linkedin-objection" data-replica-state="open">
      <h1>{config.objection.name}</h1>
      <p>Replica form for tests, rendered by React.</p>
      <form id="replica-form" aria-label="Data processing objection"
        onSubmit={(e) => { e.preventDefault(); setSent({ country, reason }); }}>
        <label>Country
          <select name="country" value={country} onChange={(e) => setCountry(e.target.value)}>
            <option value="DE">Germany</option><option value="FR">France</option><option value="GB">United Kingdom</option>
          </select>
        </label>
        <label>Please describe your objection
          <textarea name="reason" rows={4} value={reason} onChange={(e) => setReason(e.target.value)} />
        </label>
        <button type="submit" id="replica-send" className="replica-button">Submit</button>
      </form>
    </section>
  );
}

function CookieBanner() {
  const [open, setOpen] = useState(true);
  if (!open) return null;
  return (
    <div id="replica-cookie-dialog" role="dialog" aria-label="Cookie consent" data-replica-dialog="cookies"
      className="replica-cookie-banner">
      <p>LinkedIn and 3rd parties use essential and non-essential cookies to provide, secure, analyze and
        improve our Services, and to show you relevant ads.</p>
      <button type="button" id="replica-cookie-accept" className="replica-button" onClick={() => setOpen(false)}>Accept</button>
      <button type="button" id="replica-cookie-decline" className="replica-button" onClick={() => setOpen(false)}>Reject</button>
    </div>
  );
}

// ── X: one client-side app from the timeline to the Grok page ──
function X({ page, config }) {
  const settingUrl = config.paths.setting[0];
  const nav = (
    <div role="navigation" className="replica-nav" aria-label="Primary">
      <Link to="/home" link="home">Home</Link>
      <Link to={X_MENU.settings} link="settings">Settings</Link>
    </div>
  );
  let main;
  if (page === 'home') {
    main = (
      <main data-replica-route="home">
        <article data-replica-post="1"><header>@someone</header><p>Good morning, timeline.</p></article>
        <article data-replica-post="quote"><header>@privacy_fan</header>
          <p>Check Settings → Privacy and safety → Grok. Mine said “{config.setting.label.text}” and it was
            ticked <span className="replica-fake-toggle">On</span>. Untick it!</p></article>
        <p><Link to={settingUrl} link="setting">{config.setting.name}</Link></p>
      </main>
    );
  } else if (page === 'settings') {
    main = <main data-replica-route="settings"><h1>Settings</h1>
      <p><Link to={X_MENU.privacy} link="privacy">Privacy and safety</Link></p></main>;
  } else if (page === 'privacy') {
    main = <main data-replica-route="privacy"><h1>Privacy and safety</h1>
      <p><Link to={X_MENU['data-sharing']} link="data-sharing">Data sharing and personalization</Link></p></main>;
  } else if (page === 'data-sharing') {
    main = <main data-replica-route="data-sharing"><h1>Data sharing and personalization</h1>
      <p><Link to={settingUrl} link="setting">{config.setting.name}</Link></p></main>;
  } else if (page === 'setting') {
    main = (
      <main data-replica-route="setting">
        <p><Link to={X_MENU['data-sharing']} link="data-sharing">Back</Link></p>
        <h1>{config.setting.name}</h1>
        <SettingSection config={config}>
          {(s) => <CheckboxControl config={config} setting={s} role={undefined} />}
        </SettingSection>
      </main>
    );
  } else {
    main = <main data-replica-route="missing"><h1>Hmm...this page doesn't exist.</h1></main>;
  }
  return <>{nav}{main}</>;
}

// ── Google My Activity: the Gemini page, its control as the rules describe it ──
function Google({ page, config }) {
  if (page === 'gemini') {
    // The Gemini app (a host of the rules' domains): a chat page with a link to the activity setting.
    return (
      <main data-replica-route="gemini"><h1>Gemini</h1>
        <article data-replica-post="1"><p>Hello, how can I help you today?</p></article>
        <form aria-label="Prompt" onSubmit={(e) => e.preventDefault()}>
          <label>Enter a prompt here<textarea name="prompt" rows={2} /></label></form>
        <p><Link to={config.setting.link} link="setting" client={false}>{config.setting.name}</Link></p></main>
    );
  }
  if (page === 'home') {
    return (
      <main data-replica-route="home"><h1>My Activity</h1>
        <p><Link to={config.paths.setting[0]} link="setting" client={false}>{config.setting.name}</Link></p></main>
    );
  }
  return (
    <main data-replica-route="setting">
      <h1>{config.setting.name}</h1>
      <SettingSection config={config}>
        {(s) => (config.setting.find === 'label' ? <GoogleSwitch config={config} setting={s} />
          : <GoogleMenu config={config} setting={s} />)}
      </SettingSection>
    </main>
  );
}

function GoogleSwitch({ config, setting }) {
  const id = `replica-label-${setting.generation}`;
  return (
    <div className="replica-setting-row">
      <span id={id}>{config.setting.label.text}</span>
      <button type="button" role="switch" aria-checked={String(setting.on)} aria-labelledby={id}
        data-replica-control="google" onClick={() => setting.save(setting.on ? 'off' : 'on')}>
        {setting.on ? 'On' : 'Off'}
      </button>
    </div>
  );
}

// What is reported for Keep Activity: a status and a "Turn off" button with a menu, no switch to read.
function GoogleMenu({ config, setting }) {
  const [menu, setMenu] = useState(false);
  const off = (e) => { e.preventDefault(); setMenu(false); setting.save('off'); };
  return (
    <div>
      <div className="replica-setting-row">
        <span>{config.setting.name}</span>
        <span data-replica-activity-status="">{setting.on ? 'On' : 'Off'}</span>
        {setting.on
          ? <button type="button" className="replica-button" data-replica-action="open-menu" data-replica-control="google"
            aria-haspopup="menu" aria-expanded={String(menu)} onClick={() => setMenu(!menu)}>Turn off</button>
          : <button type="button" className="replica-button" data-replica-action="turn-on" data-replica-control="google"
            onClick={() => setting.save('on')}>Turn on</button>}
      </div>
      {menu && setting.on && (
        <ul role="menu" id="replica-menu" className="replica-menu" aria-label="Turn off">
          <li role="menuitem" tabIndex={-1} data-replica-action="turn-off" onClick={off}>Turn off</li>
          <li role="menuitem" tabIndex={-1} data-replica-action="turn-off-delete" onClick={off}>Turn off and delete activity</li>
        </ul>
      )}
    </div>
  );
}

function LoginWall({ service }) {
  const title = { linkedin: 'Sign in', x: 'Sign in to X', google: 'Sign in' }[service];
  return (
    <main data-replica-page="login">
      <h2>{title}</h2>
      <form aria-label={title} onSubmit={(e) => e.preventDefault()}>
        <label>Email or phone<input type="text" name="username" autoComplete="username" /></label>
        <label>Password<input type="password" name="password" autoComplete="current-password" /></label>
        <button type="submit" className="replica-button">{title}</button>
      </form>
    </main>
  );
}
