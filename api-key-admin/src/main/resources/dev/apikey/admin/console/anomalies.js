// The console's anomalies (issue 27 §3): the open anomalies the host's scheduled detection opened, on a key's page
// (GET keys/{id}/anomalies), on the tenant page (GET anomalies?tenant=) and under the keys list for the tenants the
// caller manages. Each is a line of text (what, when, seen vs usual): readable without colour, set with textContent
// only, no inline script or style (the page's CSP allows neither). console.js calls window.apikeyAnomalies.key and
// .overview with its own API call function; the tenant page is followed through its form and the sign-in event.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const WHAT = {
    refusal_burst: (a) => a.observed + ' refusals (401/403), usually ' + a.baseline,
    volume_spike: (a) => a.observed + ' calls, usually ' + a.baseline,
    new_network: (a) => a.observed + ' new source network' + (a.observed === 1 ? '' : 's') + ' (/24 or /48), '
      + a.baseline + ' known',
    quota_warning: (a) => 'quota ' + (a.detail || '') + ' at ' + a.observed + ' of ' + a.baseline + ' calls',
    quota_exhausted: (a) => 'quota ' + (a.detail || '') + ' spent: ' + a.observed + ' of ' + a.baseline + ' calls',
    old_key_used: (a) => 'still used ' + a.observed + ' times after its rotation; the new key is ' + (a.detail || '?'),
    new_country: (a) => 'used from ' + (a.detail || '?') + ', a country not seen before (' + a.baseline + ' known)',
  };
  const TITLE = {
    refusal_burst: 'Burst of refusals',
    volume_spike: 'Volume over usual',
    new_network: 'New network',
    quota_warning: 'Quota nearly spent',
    quota_exhausted: 'Quota spent',
    old_key_used: 'Old key still used',
    new_country: 'New country',
  };

  function text(name, value, className) {
    const e = document.createElement(name);
    if (value != null) {
      e.textContent = value;
    }
    if (className) {
      e.className = className;
    }
    return e;
  }

  function when(a) {
    const start = a.window_start.replace('T', ' ').replace(/:00Z$/, '');
    const end = a.window_end.replace('T', ' ').replace(/:00Z$/, '');
    return start + ' to ' + end + ' UTC';
  }

  /** The list of anomalies, or a line saying there are none. */
  function list(anomalies, showKey) {
    if (!anomalies.length) {
      return text('p', 'No open anomalies.', 'anomalies-none');
    }
    const ul = text('ul', null, 'anomaly-list');
    for (const a of anomalies) {
      const li = text('li', null, 'anomaly anomaly-' + a.kind.replace(/_/g, '-'));
      li.dataset.id = a.id;
      li.append(text('strong', TITLE[a.kind] || a.kind));
      const whose = a.key_id ? (showKey ? 'key ' + a.key_id : '') : 'tenant ' + a.tenant_id;
      li.append(text('span', (whose ? ' — ' + whose : '') + ': ' + (WHAT[a.kind] ? WHAT[a.kind](a) : a.observed)
        + ', ' + when(a) + '.'));
      ul.append(li);
    }
    return ul;
  }

  /** Fills a section; a host without detection (501) hides it rather than showing an error. */
  async function fill(container, heading, read, showKey) {
    container.replaceChildren(text('h3', heading));
    container.hidden = false;
    try {
      const answer = await read();
      container.append(list(answer.anomalies, showKey));
    } catch (e) {
      if (e && e.code === 'not_supported') {
        container.hidden = true;
        return;
      }
      const error = text('p', 'Anomalies could not be read: ' + (e && e.message ? e.message : e), 'anomalies-error');
      error.setAttribute('role', 'alert');
      container.append(error);
    }
  }

  function key(container, k, call) {
    return fill(container, 'Open anomalies', () => call('GET', 'keys/' + encodeURIComponent(k.key_id)
      + '/anomalies'), false);
  }

  function overview(container, me, call) {
    if (me.all_tenants) {
      return fill(container, 'Open anomalies', () => call('GET', 'anomalies'), true);
    }
    const tenants = (me.tenants || []).slice(0, 20);
    return fill(container, 'Open anomalies', async () => {
      const all = [];
      for (const t of tenants) {
        all.push(...(await call('GET', 'anomalies?tenant=' + encodeURIComponent(t))).anomalies);
      }
      all.sort((a, b) => (a.opened_at < b.opened_at ? 1 : a.opened_at > b.opened_at ? -1 : 0));
      return { anomalies: all };
    }, true);
  }

  // The tenant page: its open anomalies under its record, when it is shown.
  let session = null;
  document.addEventListener('apikey:signed-in', (event) => {
    session = event.detail;
  });
  document.addEventListener('submit', (event) => {
    const section = $('tenant-anomalies');
    if (!session || !section || !event.target || event.target.id !== 'tenant-form') {
      return;
    }
    const id = $('tenant-id').value.trim();
    if (!/^[A-Za-z0-9-]{1,36}$/.test(id)) {
      section.hidden = true;
      return;
    }
    fill(section, 'Open anomalies', () => session.call('GET', 'anomalies?tenant=' + encodeURIComponent(id)), true);
  });

  window.apikeyAnomalies = Object.freeze({ key, overview });
}());
