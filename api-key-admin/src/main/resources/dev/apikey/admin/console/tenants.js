// The tenant page of the api-key console (issue 26 §5): a tenant's record (status, plan scopes, cap of live keys,
// shared allowances, countries) read by anyone who manages the tenant; suspended, resumed and given a plan and cap only
// by a caller that manages every tenant (the API refuses the others too, and checks every value, naming the member at
// fault: the form leaves the checks to it). console.js hands over its API call, the
// catalog and GET /me when someone signs in (the 'apikey:signed-in' event) and takes them back at sign-out. Every
// value is set with textContent or .value, never as HTML.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  let session = null;
  let shown = null;

  function showError(e) {
    $('tenant-error').textContent = e ? e.message : '';
    $('tenant-error').hidden = !e;
  }

  async function guarded(work) {
    try {
      showError(null);
      await work();
    } catch (e) {
      showError(e);
    }
  }

  function allowanceText(a) {
    return a.name + ': ' + a.limit + (a.kind === 'rate' ? ' per ' + a.period_seconds + ' s' : ' per ' + a.period);
  }

  /** The record as a list of terms and values, and the change form filled from it for a manager of every tenant. */
  function render(t) {
    shown = t;
    const list = $('tenant-record');
    list.replaceChildren();
    const add = (term, value) => {
      const dt = document.createElement('dt');
      dt.textContent = term;
      const dd = document.createElement('dd');
      dd.textContent = value == null || value === '' ? '—' : String(value);
      list.append(dt, dd);
      return dd;
    };
    add('Tenant', t.tenant_id);
    add('Status', t.status === 'suspended' ? 'suspended: every key of it is refused' : 'active')
      .className = 'status-' + (t.status === 'suspended' ? 'disabled' : 'active') + ' tenant-status';
    add('Plan scopes', t.plan_scopes.length ? t.plan_scopes.join(' ') : 'any (no plan)');
    add('Max live keys', t.max_live_keys == null ? 'default' : t.max_live_keys);
    add('Allowances', t.allowances.length ? t.allowances.map(allowanceText).join('; ') : 'none');
    add('Allowed countries', t.allowed_countries.join(', ') || 'anywhere');
    add('Version', t.version == null ? 'no record' : t.version);
    const manager = session.me.all_tenants;
    $('tenant-actions').hidden = !manager;
    $('tenant-read-only').hidden = manager;
    if (manager) {
      $('tenant-suspend').hidden = t.status === 'suspended';
      $('tenant-resume').hidden = t.status !== 'suspended';
      const plan = $('tenant-plan');
      plan.querySelectorAll('label').forEach((l) => l.remove());
      for (const s of session.catalog) {
        const label = document.createElement('label');
        const box = document.createElement('input');
        box.type = 'checkbox';
        box.value = s.name;
        box.checked = t.plan_scopes.includes(s.name);
        label.append(box, ' ' + s.name);
        plan.append(label);
      }
      $('tenant-cap').value = t.max_live_keys == null ? '' : String(t.max_live_keys);
    }
    $('tenant-view').hidden = false;
  }

  async function show() {
    const id = $('tenant-id').value.trim();
    if (!id) {
      throw new Error('Enter a tenant id.');
    }
    render(await session.call('GET', 'tenants/' + encodeURIComponent(id)));
  }

  $('tenant-form').addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(show);
  });
  $('tenant-suspend').addEventListener('click', () => guarded(async () => {
    render(await session.call('POST', 'tenants/' + encodeURIComponent(shown.tenant_id) + '/suspend', {}));
  }));
  $('tenant-resume').addEventListener('click', () => guarded(async () => {
    render(await session.call('POST', 'tenants/' + encodeURIComponent(shown.tenant_id) + '/resume', {}));
  }));
  $('tenant-change').addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(async () => {
      const cap = $('tenant-cap').value.trim();
      const body = {
        plan_scopes: Array.from($('tenant-plan').querySelectorAll('input:checked')).map((b) => b.value),
        max_live_keys: cap === '' ? null : Number(cap),
      };
      render(await session.call('PUT', 'tenants/' + encodeURIComponent(shown.tenant_id), body));
    });
  });

  document.addEventListener('apikey:signed-in', (event) => {
    session = event.detail;
    const only = session.me.all_tenants ? '' : (session.me.tenants.length === 1 ? session.me.tenants[0] : '');
    $('tenant-id').value = only;
    $('tenant-view').hidden = true;
    showError(null);
    $('tenant-page').hidden = false;
  });
  document.addEventListener('apikey:signed-out', () => {
    session = null;
    shown = null;
    $('tenant-record').replaceChildren();
    $('tenant-view').hidden = true;
    $('tenant-page').hidden = true;
  });
})();
