// The key form of the api-key console: every attribute the admin API accepts, read from and written to the create
// and edit dialogs, and a refusal shown in the dialog beside the field it names. Loaded before console.js, which
// uses window.KeyForm. Every value is set with textContent or .value, never as HTML.
'use strict';
window.KeyForm = (function () {
  const $ = (id) => document.getElementById(id);

  /** A date input's value from an instant ('' for none): the UTC day, as the API takes a date back. */
  function dateValue(iso) {
    return iso ? iso.substring(0, 10) : '';
  }

  function lines(text) {
    return text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  }

  /** One allowance row: name, kind, limit and the period of that kind. */
  function allowanceRow(fieldset, a) {
    const row = document.createElement('div');
    row.className = 'allowance';
    const name = document.createElement('input');
    name.className = 'allowance-name';
    name.setAttribute('aria-label', 'Allowance name');
    name.placeholder = 'name';
    name.maxLength = 64;
    name.value = a ? a.name : '';
    const kind = document.createElement('select');
    kind.className = 'allowance-kind';
    kind.setAttribute('aria-label', 'Allowance kind');
    for (const k of ['rate', 'quota']) {
      const o = document.createElement('option');
      o.value = k;
      o.textContent = k;
      kind.append(o);
    }
    kind.value = a ? a.kind : 'rate';
    const limit = document.createElement('input');
    limit.className = 'allowance-limit';
    limit.type = 'number';
    limit.min = '1';
    limit.setAttribute('aria-label', 'Allowance limit');
    limit.value = a ? String(a.limit) : '';
    const seconds = document.createElement('input');
    seconds.className = 'allowance-seconds';
    seconds.type = 'number';
    seconds.min = '1';
    seconds.setAttribute('aria-label', 'Rate period in seconds');
    seconds.placeholder = 'seconds';
    seconds.value = a && a.kind === 'rate' ? String(a.period_seconds) : '60';
    const period = document.createElement('select');
    period.className = 'allowance-period';
    period.setAttribute('aria-label', 'Quota period');
    for (const k of ['day', 'month']) {
      const o = document.createElement('option');
      o.value = k;
      o.textContent = 'per ' + k;
      period.append(o);
    }
    period.value = a && a.kind === 'quota' ? a.period : 'day';
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = 'Remove';
    remove.addEventListener('click', () => row.remove());
    const shown = () => {
      seconds.hidden = kind.value !== 'rate';
      period.hidden = kind.value !== 'quota';
    };
    kind.addEventListener('change', shown);
    shown();
    row.append(name, kind, limit, seconds, period, remove);
    fieldset.append(row);
  }

  function allowances(fieldset) {
    return Array.from(fieldset.querySelectorAll('.allowance')).map((row) => {
      const kind = row.querySelector('.allowance-kind').value;
      const a = { name: row.querySelector('.allowance-name').value.trim(), kind,
        limit: Number(row.querySelector('.allowance-limit').value) };
      if (kind === 'rate') {
        a.period_seconds = Number(row.querySelector('.allowance-seconds').value);
      } else {
        a.period = row.querySelector('.allowance-period').value;
      }
      return a;
    });
  }

  /** Country codes typed with commas or spaces between them, upper-cased and sorted as the API keeps them. */
  function countries(text) {
    return [...new Set(text.split(/[\s,;]+/).map((c) => c.trim().toUpperCase()).filter((c) => c))].sort();
  }

  /** Fills the attribute fields of dialog prefix p ('create' or 'edit') from a key, or empties them. */
  function fill(p, k) {
    $(p + '-expires').value = dateValue(k && k.expires_at);
    $(p + '-environment').value = (k && k.environment) || '';
    $(p + '-owner').value = (k && k.owner) || '';
    $(p + '-rotate-by').value = dateValue(k && k.rotate_by);
    $(p + '-addresses').value = k ? k.allowed_addresses.join('\n') : '';
    $(p + '-countries').value = k ? k.allowed_countries.join(', ') : '';
    $(p + '-metadata').value = k ? Object.entries(k.metadata).map(([n, v]) => n + '=' + v).join('\n') : '';
    const set = $(p + '-allowances');
    set.querySelectorAll('.allowance').forEach((r) => r.remove());
    for (const a of (k ? k.allowances : [])) {
      allowanceRow(set, a);
    }
  }

  /**
   * The attributes of dialog prefix p as the API names them. With a current key, only those that differ from it
   * (an emptied field is null: the API clears it); without, only those that are set.
   */
  function read(p, current) {
    const metadata = {};
    for (const line of lines($(p + '-metadata').value)) {
      const eq = line.indexOf('=');
      metadata[eq < 0 ? line : line.substring(0, eq).trim()] = eq < 0 ? '' : line.substring(eq + 1).trim();
    }
    const all = {
      expires_at: $(p + '-expires').value || null,
      environment: $(p + '-environment').value.trim() || null,
      owner: $(p + '-owner').value.trim() || null,
      rotate_by: $(p + '-rotate-by').value || null,
      allowed_addresses: lines($(p + '-addresses').value),
      allowed_countries: countries($(p + '-countries').value),
      metadata,
      allowances: allowances($(p + '-allowances')),
    };
    const out = {};
    for (const [name, value] of Object.entries(all)) {
      if (current) {
        const before = name === 'expires_at' || name === 'rotate_by' ? (dateValue(current[name]) || null)
          : current[name];
        if (JSON.stringify(before) !== JSON.stringify(value)) {
          out[name] = value;
        }
      } else if (value !== null && !(Array.isArray(value) && value.length === 0)
          && !(typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0)) {
        out[name] = value;
      }
    }
    return out;
  }

  /** Clears a dialog's messages. */
  function clearErrors(dialog) {
    dialog.querySelectorAll('.field-error').forEach((e) => e.remove());
    dialog.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
    const top = dialog.querySelector('.dialog-error');
    if (top) {
      top.textContent = '';
      top.hidden = true;
    }
  }

  /**
   * Shows a refusal in the open dialog: beside the field the problem names ('allowances[1].limit' is shown at
   * allowances), else at the dialog's top.
   */
  function showError(dialog, error) {
    clearErrors(dialog);
    const field = error.field ? String(error.field).split(/[.[]/)[0] : '';
    const target = field ? dialog.querySelector('[data-field="' + CSS.escape(field) + '"]') : null;
    if (target) {
      const message = document.createElement('span');
      message.className = 'field-error';
      message.setAttribute('role', 'alert');
      message.dataset.for = field;
      message.textContent = error.message;
      target.setAttribute('aria-invalid', 'true');
      target.after(message);
      if (target.focus) {
        target.focus();
      }
    } else {
      const top = dialog.querySelector('.dialog-error');
      top.textContent = error.message;
      top.hidden = false;
    }
  }

  for (const p of ['create', 'edit']) {
    const set = $(p + '-allowances');
    set.querySelector('.add-allowance').addEventListener('click', () => allowanceRow(set, null));
  }

  return { fill, read, showError, clearErrors };
})();
