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

  async function call(method, path, body) {
    const headers = { 'Accept': 'application/json' };
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
      throw new Error(json.detail || json.title || ('HTTP ' + response.status));
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
      cell(row, day(k.created_at));
      const used = cell(row, ago(k.last_used_at), 'last-used');
      if (k.last_used_at) {
        used.title = k.last_used_at;
      }
      const expires = cell(row, day(k.expires_at), 'expires');
      for (const warning of warnings(k)) {
        const due = document.createElement('div');
        due.className = 'due';
        due.textContent = warning;
        expires.append(due);
      }
      cell(row, k.environment);
      cell(row, k.owner);
      const actions = row.insertCell();
      if (k.status === 'active') {
        actions.append(button('Edit', 'edit', k), button('Rotate', 'rotate', k), button('Disable', 'disable', k),
            button('Revoke', 'revoke', k));
      } else if (k.status === 'expiring') {
        actions.append(button('Disable', 'disable', k), button('Revoke', 'revoke', k));
      } else if (k.status === 'disabled') {
        actions.append(button('Edit', 'edit', k), button('Enable', 'enable', k), button('Revoke', 'revoke', k));
      }
    }
    $('empty').hidden = keys.length > 0;
  }

  async function load() {
    const params = new URLSearchParams({ limit: '200' });
    if ($('filter-name').value) {
      params.set('name', $('filter-name').value);
    }
    if ($('filter-status').value) {
      params.set('status', $('filter-status').value);
    }
    if ($('filter-expiring').checked) {
      params.set('expiring_within_days', String(WARN_DAYS));
    }
    keys = (await call('GET', 'keys?' + params)).keys;
    render();
  }

  function scopePicker(fieldset, chosen) {
    fieldset.querySelectorAll('label').forEach((l) => l.remove());
    for (const s of catalog) {
      const label = document.createElement('label');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.value = s.name;
      box.checked = chosen.includes(s.name);
      label.append(box, ' ' + s.name + ' — ' + s.description);
      fieldset.append(label);
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

  async function guarded(work) {
    try {
      showError(null);
      await work();
    } catch (e) {
      showError(e);
    }
  }

  $('signin-form').addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(async () => {
      credential = $('signin-key').value.trim();
      $('signin-key').value = '';
      catalog = (await call('GET', 'scopes')).scopes;
      await load();
      $('signin').hidden = true;
      $('keys').hidden = false;
      $('filter-name').focus();
    });
  });

  $('filters').addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(load);
  });

  $('new-key').addEventListener('click', () => {
    $('create-form').reset();
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
      if ($('create-expires').value) {
        body.expires_at = $('create-expires').value;
      }
      const created = await call('POST', 'keys', body);
      $('create-dialog').close();
      await load();
      showSecret(created.api_key);
    });
  });

  $('key-table').addEventListener('click', (event) => {
    const b = event.target.closest('button[data-action]');
    if (!b) {
      return;
    }
    current = keys.find((k) => k.key_id === b.dataset.key);
    if (b.dataset.action === 'edit') {
      $('edit-name').value = current.name;
      scopePicker($('edit-scopes'), current.scopes);
      $('edit-dialog').showModal();
      $('edit-name').focus();
    } else if (b.dataset.action === 'rotate') {
      $('rotate-what').textContent = 'Replace ' + current.name + ' (' + current.hint + ') with a new key.';
      $('rotate-dialog').showModal();
    } else if (b.dataset.action === 'disable' || b.dataset.action === 'enable') {
      guarded(async () => {
        await call('POST', 'keys/' + current.key_id + '/' + b.dataset.action, {});
        await load();
      });
    } else {
      $('revoke-what').textContent = 'Revoke ' + current.name + ' (' + current.hint
          + ')? Requests with it are refused at once. This cannot be undone.';
      $('revoke-dialog').showModal();
      $('revoke-submit').focus();
    }
  });

  $('edit-form').addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(async () => {
      await call('PATCH', 'keys/' + current.key_id,
          { name: $('edit-name').value, scopes: picked($('edit-scopes')) });
      $('edit-dialog').close();
      await load();
    });
  });

  $('rotate-form').addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(async () => {
      const overlap = Number(new FormData($('rotate-form')).get('overlap'));
      const rotated = await call('POST', 'keys/' + current.key_id + '/rotate', { overlap_seconds: overlap });
      $('rotate-dialog').close();
      await load();
      showSecret(rotated.api_key);
    });
  });

  $('revoke-form').addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(async () => {
      await call('POST', 'keys/' + current.key_id + '/revoke', {});
      $('revoke-dialog').close();
      await load();
    });
  });

  $('secret-copy').addEventListener('click', () => {
    navigator.clipboard.writeText($('secret-value').textContent).catch(() => {});
  });
  $('secret-done').addEventListener('click', closeSecret);
  $('secret-dialog').addEventListener('cancel', () => { $('secret-value').textContent = ''; });
  document.querySelectorAll('dialog button.cancel').forEach((b) =>
    b.addEventListener('click', () => b.closest('dialog').close()));
})();
