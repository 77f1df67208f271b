// The api-key console: plain DOM, no framework, no inline script (the page's CSP allows none). Every value is
// rendered with textContent, never as HTML. The management key and any new key live in variables of this
// script only, and a new key is dropped when its panel closes.
'use strict';
(function () {
  const api = document.body.dataset.api.replace(/\/?$/, '/');
  const $ = (id) => document.getElementById(id);
  let credential = '';
  let catalog = [];
  let keys = [];
  let current = null;
  let me = null;
  const PAGE = 50;
  // The list's order and page: cursors[i] is the cursor of page i (null for the first).
  let sort = { by: 'name', order: 'asc' };
  let cursors = [null];
  let pageIndex = 0;
  let nextCursor = null;
  const signOutUrl = document.body.dataset.signout;
  // successor key id -> the key it replaced, from every page read, rotation and successor link seen this session:
  // the API names only the forward link (replaced_by).
  const predecessors = new Map();

  /**
   * The CSRF token a host's framework put in the XSRF-TOKEN cookie (Spring Security's CookieCsrfTokenRepository, as
   * set up by csrf.spa()), or '' if there is none. Read at each call: the host may replace it after signing in.
   */
  function csrfToken() {
    for (const part of document.cookie.split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0 && part.substring(0, eq).trim() === 'XSRF-TOKEN') {
        return decodeURIComponent(part.substring(eq + 1).trim());
      }
    }
    return '';
  }

  /** What a refusal of the management rules means to the person in front of the console. */
  const ADVICE = {
    precondition_failed: 'Someone else changed this key since you opened it. Close this, reload the list to see '
        + 'the key as it is now, and make your change again.',
  };

  /** Calls the API; {@code version}, if given, is sent as If-Match so a change never overwrites another unseen. */
  async function call(method, path, body, version) {
    const headers = { 'Accept': 'application/json' };
    if (version) {
      headers['If-Match'] = '"' + version + '"';
    }
    if (credential) {
      headers['Authorization'] = 'Bearer ' + credential;
    }
    const csrf = method === 'GET' ? '' : csrfToken();
    if (csrf) {
      // Only to the console's own API (same origin, relative path): the header Spring Security reads for SPAs.
      headers['X-XSRF-TOKEN'] = csrf;
    }
    const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
    if (method !== 'GET') {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body || {});
    }
    const response = await fetch(api + path, init);
    const json = await response.json();
    if (!response.ok) {
      let message = ADVICE[json.code] || json.detail || json.title || ('HTTP ' + response.status);
      if (json.code === 'too_many_creates' && response.headers.get('Retry-After')) {
        message = json.detail.replace(/; try again in .*$/, '') + '. Try again in '
            + response.headers.get('Retry-After') + ' seconds.';
      }
      const error = new Error(message);
      error.code = json.code || null;
      // The member at fault, for the dialog to show the message beside its field.
      error.field = json.field || null;
      throw error;
    }
    return json;
  }

  function showError(e) {
    $('error').textContent = e ? e.message : '';
    $('error').hidden = !e;
  }

  function cell(row, text, className) {
    const td = row.insertCell();
    td.textContent = text == null ? '' : text;
    if (className) {
      td.className = className;
    }
    return td;
  }

  function ago(iso) {
    if (!iso) {
      return 'never';
    }
    const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    if (seconds < 5) {
      return 'just now';
    }
    const units = [[86400, 'day'], [3600, 'hour'], [60, 'minute'], [1, 'second']];
    for (const [size, name] of units) {
      if (seconds >= size || size === 1) {
        const n = Math.floor(seconds / size);
        return n + ' ' + name + (n === 1 ? '' : 's') + ' ago';
      }
    }
    return '';
  }

  function day(iso) {
    return iso ? iso.substring(0, 10) : '';
  }

  /** A date cell: the day, never wrapped (CSS), the full instant in its title. */
  function dateCell(row, iso, className) {
    const td = cell(row, day(iso), 'date' + (className ? ' ' + className : ''));
    if (iso) {
      td.title = iso;
    }
    return td;
  }

  function button(label, action, key) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.dataset.action = action;
    b.dataset.key = key.key_id;
    b.setAttribute('aria-label', label + ' ' + key.name);
    return b;
  }

  const WARN_DAYS = 7;

  /** What needs its owner's attention soon: the warnings the server sends 7 days ahead, shown as they come due. */
  function warnings(k) {
    if (k.status !== 'active') {
      return [];
    }
    const horizon = Date.now() + WARN_DAYS * 86400000;
    const out = [];
    if (k.expires_at && Date.parse(k.expires_at) <= horizon) {
      out.push('expires in ' + days(k.expires_at));
    }
    if (k.rotate_by && Date.parse(k.rotate_by) < Date.now()) {
      out.push('rotation due since ' + day(k.rotate_by));
    } else if (k.rotate_by && Date.parse(k.rotate_by) <= horizon) {
      out.push('rotate within ' + days(k.rotate_by));
    }
    return out;
  }

  function days(iso) {
    const hours = Math.max(0, Math.round((Date.parse(iso) - Date.now()) / 3600000));
    return hours < 48 ? hours + ' h' : Math.round(hours / 24) + ' days';
  }

  function render() {
    const body = $('key-table').tBodies[0];
    body.replaceChildren();
    for (const k of keys) {
      const row = body.insertRow();
      row.dataset.key = k.key_id;
      cell(row, k.name, 'name');
      cell(row, k.hint, 'hint');
      cell(row, k.scopes.join(' '), 'scopes');
      cell(row, k.status, 'status status-' + k.status);
      dateCell(row, k.created_at, 'created');
      const used = cell(row, ago(k.last_used_at), 'date last-used');
      if (k.last_used_at) {
        used.title = k.last_used_at;
      }
      const expires = dateCell(row, k.expires_at, 'expires');
      for (const warning of warnings(k)) {
        const due = document.createElement('div');
        due.className = 'due';
        due.textContent = warning;
        expires.append(due);
      }
      cell(row, k.environment);
      cell(row, k.owner);
      const actions = row.insertCell();
      actions.append(button('Details', 'details', k));
      if (k.status === 'active') {
        actions.append(button('Edit', 'edit', k), button('Rotate', 'rotate', k), button('Disable', 'disable', k),
            button('Revoke', 'revoke', k));
      } else if (k.status === 'expiring') {
        actions.append(button('Disable', 'disable', k), button('Revoke', 'revoke', k));
      } else if (k.status === 'disabled') {
        actions.append(button('Edit', 'edit', k), button('Enable', 'enable', k), button('Revoke', 'revoke', k));
      }
      if (me && me.key_id === k.key_id) {
        // The server refuses it too (own_key): no caller raises the key it calls with.
        actions.querySelectorAll('button[data-action="edit"], button[data-action="enable"]').forEach((b) => {
          b.disabled = true;
          b.title = 'This is the key you signed in with: another manager edits it.';
        });
      }
    }
    $('empty').hidden = keys.length > 0;
    for (const th of $('key-table').tHead.querySelectorAll('th[data-sort]')) {
      th.setAttribute('aria-sort', th.dataset.sort !== sort.by ? 'none'
        : sort.order === 'asc' ? 'ascending' : 'descending');
    }
    $('page-number').textContent = 'Page ' + (pageIndex + 1);
    $('page-previous').disabled = pageIndex === 0;
    $('page-next').disabled = !nextCursor;
  }

  /** From the first page again: after a change of filter or order. */
  function firstPage() {
    cursors = [null];
    pageIndex = 0;
    return load();
  }

  /** The current page, sorted, filtered and cut by the API (and its store): never all keys at once. */
  async function load() {
    const params = new URLSearchParams({ limit: String(PAGE), sort: sort.by, order: sort.order });
    if (cursors[pageIndex]) {
      params.set('cursor', cursors[pageIndex]);
    }
    if ($('filter-name').value) {
      params.set('q', $('filter-name').value);
    }
    if ($('filter-status').value) {
      params.set('status', $('filter-status').value);
    }
    if ($('filter-expiring').checked) {
      params.set('expiring_within_days', String(WARN_DAYS));
    }
    const page = await call('GET', 'keys?' + params);
    keys = page.keys;
    nextCursor = page.next_cursor;
    for (const k of keys) {
      if (k.replaced_by) {
        predecessors.set(k.replaced_by, { key_id: k.key_id, hint: k.hint });
      }
    }
    render();
  }

  /**
   * The catalog as checkboxes; the scopes the caller may not grant (GET /me's grantable_scopes) are greyed, with
   * the reason beside them, so that no one picks what the server would refuse.
   */
  function scopePicker(fieldset, chosen) {
    fieldset.querySelectorAll('label, p.grant-note').forEach((l) => l.remove());
    const grantable = me && me.grantable_scopes ? me.grantable_scopes : catalog.map((s) => s.name);
    let greyed = 0;
    for (const s of catalog) {
      const label = document.createElement('label');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.value = s.name;
      box.checked = chosen.includes(s.name);
      label.append(box, ' ' + s.name + ' — ' + s.description);
      if (!grantable.includes(s.name)) {
        box.disabled = true;
        label.className = 'not-grantable';
        label.title = 'You may not grant ' + s.name + ': it is beyond the scopes you hold yourself.';
        greyed++;
      }
      fieldset.append(label);
    }
    if (greyed) {
      const note = document.createElement('p');
      note.className = 'grant-note';
      note.textContent = 'Greyed scopes are beyond what you may grant: you can give a key only scopes you hold '
          + (me && me.key_id ? 'with the key you signed in with.' : 'as your role allows.');
      fieldset.append(note);
    }
  }

  function picked(fieldset) {
    return Array.from(fieldset.querySelectorAll('input:checked')).map((b) => b.value);
  }

  function showSecret(plaintext) {
    $('secret-value').textContent = plaintext;
    $('secret-dialog').showModal();
    $('secret-copy').focus();
  }

  function closeSecret() {
    $('secret-value').textContent = '';
    $('secret-dialog').close();
    $('new-key').focus();
  }

  /** Runs work; a failure is shown in the dialog it came from (beside its field), or above the list. */
  async function guarded(work, dialog) {
    try {
      showError(null);
      if (dialog) {
        KeyForm.clearErrors(dialog);
      }
      await work();
    } catch (e) {
      if (dialog && dialog.open) {
        KeyForm.showError(dialog, e);
      } else {
        showError(e);
      }
    }
  }

  /** Who the host says is signed in, and which tenants they manage: shown, and the tenant prefilled if one. */
  function showIdentity() {
    $('who').textContent = 'Signed in as ' + me.actor;
    $('tenants').textContent = me.all_tenants ? 'all tenants'
      : (me.tenants.length === 1 ? 'tenant ' : 'tenants ') + (me.tenants.join(', ') || 'none');
    $('tenant-choices').replaceChildren(...me.tenants.map((t) => {
      const o = document.createElement('option');
      o.value = t;
      return o;
    }));
    $('identity').hidden = false;
  }

  async function signOut() {
    credential = '';
    keys = [];
    me = null;
    render();
    $('identity').hidden = true;
    $('keys').hidden = true;
    document.dispatchEvent(new CustomEvent('apikey:signed-out'));
    $('usage-overview').replaceChildren();
    $('usage-overview').hidden = true;
    $('anomalies-overview').replaceChildren();
    $('anomalies-overview').hidden = true;
    $('signin').hidden = false;
    if (signOutUrl) {
      // The host's sign-out (Spring Security's POST /logout): with its CSRF token, then the page again.
      const headers = {};
      const csrf = csrfToken();
      if (csrf) {
        headers['X-XSRF-TOKEN'] = csrf;
      }
      try {
        await fetch(signOutUrl, { method: 'POST', headers, credentials: 'same-origin', cache: 'no-store' });
      } finally {
        location.reload();
      }
    } else {
      $('signin-key').focus();
    }
  }

  function details(k) {
    const list = $('details-list');
    list.replaceChildren();
    const add = (term, value) => {
      const dt = document.createElement('dt');
      dt.textContent = term;
      const dd = document.createElement('dd');
      if (value instanceof Node) {
        dd.append(value);
      } else {
        dd.textContent = value == null || value === '' ? '—' : String(value);
      }
      list.append(dt, dd);
      return dd;
    };
    const link = (id, label) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'link';
      b.dataset.keyLink = id;
      b.textContent = label;
      return b;
    };
    $('details-title').textContent = k.name;
    add('Key', k.hint);
    add('Tenant', k.tenant_id);
    add('Status', k.status);
    // Legacy keys (issue 29): legacy.js says so, and what to do.
    if (window.apikeyLegacy) {
      window.apikeyLegacy.details(add, k);
    }
    add('Scopes', k.scopes.join(' '));
    add('Created', k.created_at);
    add('Last used', k.last_used_at || 'never');
    add('Expires', k.expires_at);
    add('Rotate by', k.rotate_by);
    add('Revoked', k.revoked_at);
    add('Disabled', k.disabled_at);
    add('Environment', k.environment);
    add('Owner', k.owner);
    add('Allowed addresses', k.allowed_addresses.join(', ') || 'anywhere');
    add('Allowed countries', k.allowed_countries.join(', ') || 'anywhere');
    add('Allowances', k.allowances.map((a) => a.name + ': ' + a.limit + (a.kind === 'rate'
      ? ' per ' + a.period_seconds + ' s' : ' per ' + a.period)).join('; '));
    add('Quota remaining', k.quota_remaining);
    add('Metadata', Object.entries(k.metadata).map(([n, v]) => n + '=' + v).join(', '));
    add('Version', k.version);
    if (k.replaced_by) {
      add('Replaced by', link(k.replaced_by, k.replaced_by)).id = 'details-successor';
    }
    if (k.replaced_by) {
      predecessors.set(k.replaced_by, { key_id: k.key_id, hint: k.hint });
    }
    const before = predecessors.get(k.key_id);
    if (before) {
      add('Replaces', link(before.key_id, before.hint)).id = 'details-predecessor';
    }
    if (!$('details-dialog').open) {
      $('details-dialog').showModal();
    }
    // The key's history, in a panel of its own (history.js).
    window.KeyHistory.show(call, k.key_id);
    // Usage (issue 27): usage.js draws the key's calls, through this script's API call.
    if (window.apikeyUsage) {
      window.apikeyUsage.render($('details-usage'), k, call);
    }
    // Anomalies (issue 27 §3): anomalies.js lists the key's open ones.
    if (window.apikeyAnomalies) {
      window.apikeyAnomalies.key($('details-anomalies'), k, call);
    }
  }

  $('signin-form').addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(async () => {
      credential = $('signin-key').value.trim();
      $('signin-key').value = '';
      catalog = (await call('GET', 'scopes')).scopes;
      me = await call('GET', 'me');
      showIdentity();
      await firstPage();
      $('signin').hidden = true;
      $('keys').hidden = false;
      // The hook for the pages in files of their own (tenants.js): the API call, the catalog and who is signed in.
      document.dispatchEvent(new CustomEvent('apikey:signed-in', { detail: { call, catalog, me } }));
      // Usage (issue 27): usage.js draws the tenant overview, through this script's API call.
      if (window.apikeyUsage) {
        window.apikeyUsage.overview($('usage-overview'), me, call);
      }
      if (window.apikeyAnomalies) {
        window.apikeyAnomalies.overview($('anomalies-overview'), me, call);
      }
      $('filter-name').focus();
    });
  });

  $('filters').addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(firstPage);
  });

  $('key-table').tHead.addEventListener('click', (event) => {
    const th = event.target.closest('th[data-sort]');
    if (!th) {
      return;
    }
    sort = { by: th.dataset.sort, order: sort.by === th.dataset.sort && sort.order === 'asc' ? 'desc' : 'asc' };
    guarded(firstPage);
  });

  $('page-next').addEventListener('click', () => guarded(async () => {
    cursors[pageIndex + 1] = nextCursor;
    pageIndex++;
    await load();
  }));

  $('page-previous').addEventListener('click', () => guarded(async () => {
    pageIndex = Math.max(0, pageIndex - 1);
    await load();
  }));

  $('sign-out').addEventListener('click', () => guarded(signOut));

  $('details-list').addEventListener('click', (event) => {
    const b = event.target.closest('button[data-key-link]');
    if (b) {
      guarded(async () => details(await call('GET', 'keys/' + b.dataset.keyLink)), $('details-dialog'));
    }
  });

  $('new-key').addEventListener('click', () => {
    $('create-form').reset();
    KeyForm.clearErrors($('create-dialog'));
    KeyForm.fill('create', null);
    if (me && !me.all_tenants && me.tenants.length === 1) {
      $('create-tenant').value = me.tenants[0];
    }
    scopePicker($('create-scopes'), []);
    $('create-dialog').showModal();
    $('create-name').focus();
  });

  $('create-form').addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(async () => {
      const body = { name: $('create-name').value, scopes: picked($('create-scopes')) };
      if ($('create-tenant').value) {
        body.tenant_id = $('create-tenant').value;
      }
      Object.assign(body, KeyForm.read('create', null));
      const created = await call('POST', 'keys', body);
      $('create-dialog').close();
      await load();
      showSecret(created.api_key);
    }, $('create-dialog'));
  });

  $('key-table').addEventListener('click', (event) => {
    const b = event.target.closest('button[data-action]');
    if (!b) {
      return;
    }
    current = keys.find((k) => k.key_id === b.dataset.key);
    if (b.dataset.action === 'details') {
      details(current);
    } else if (b.dataset.action === 'edit') {
      KeyForm.clearErrors($('edit-dialog'));
      $('edit-name').value = current.name;
      KeyForm.fill('edit', current);
      scopePicker($('edit-scopes'), current.scopes);
      $('edit-dialog').showModal();
      $('edit-name').focus();
    } else if (b.dataset.action === 'rotate') {
      KeyForm.clearErrors($('rotate-dialog'));
      $('rotate-what').textContent = 'Replace ' + current.name + ' (' + current.hint + ') with a new key.';
      $('rotate-dialog').showModal();
    } else if (b.dataset.action === 'disable' || b.dataset.action === 'enable') {
      guarded(async () => {
        await call('POST', 'keys/' + current.key_id + '/' + b.dataset.action, {}, current.version);
        await load();
      });
    } else {
      KeyForm.clearErrors($('revoke-dialog'));
      $('revoke-what').textContent = 'Revoke ' + current.name + ' (' + current.hint
          + ')? Requests with it are refused at once. This cannot be undone.';
      $('revoke-dialog').showModal();
      $('revoke-submit').focus();
    }
  });

  $('edit-form').addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(async () => {
      const body = KeyForm.read('edit', current);
      if ($('edit-name').value !== current.name) {
        body.name = $('edit-name').value;
      }
      const scopes = picked($('edit-scopes'));
      if (JSON.stringify(scopes.slice().sort()) !== JSON.stringify(current.scopes.slice().sort())) {
        body.scopes = scopes;
      }
      await call('PATCH', 'keys/' + current.key_id, body, current.version);
      $('edit-dialog').close();
      await load();
    }, $('edit-dialog'));
  });

  $('rotate-form').addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(async () => {
      const overlap = Number(new FormData($('rotate-form')).get('overlap'));
      const rotated = await call('POST', 'keys/' + current.key_id + '/rotate', { overlap_seconds: overlap },
          current.version);
      predecessors.set(rotated.key.key_id, { key_id: current.key_id, hint: current.hint });
      $('rotate-dialog').close();
      await load();
      showSecret(rotated.api_key);
    }, $('rotate-dialog'));
  });

  $('revoke-form').addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(async () => {
      await call('POST', 'keys/' + current.key_id + '/revoke', {}, current.version);
      $('revoke-dialog').close();
      await load();
    }, $('revoke-dialog'));
  });

  $('secret-copy').addEventListener('click', () => {
    navigator.clipboard.writeText($('secret-value').textContent).catch(() => {});
  });
  $('secret-done').addEventListener('click', closeSecret);
  $('secret-dialog').addEventListener('cancel', () => { $('secret-value').textContent = ''; });
  document.querySelectorAll('dialog button.cancel').forEach((b) =>
    b.addEventListener('click', () => b.closest('dialog').close()));
})();
