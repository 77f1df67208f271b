// The history panel of the api-key console (issue 26 §3): on a key's details, who created, edited, rotated,
// disabled, enabled and revoked it, and when, newest first, from GET keys/{id}/events, with "Older events" for the
// next page. Loaded before console.js, which calls window.KeyHistory.show(call, keyId) when it shows a key. Every
// value is set with textContent, never as HTML.
'use strict';
window.KeyHistory = (function () {
  const $ = (id) => document.getElementById(id);
  // Which key the panel shows: an answer for a key shown before is dropped.
  let shown = null;

  /** The panel, made once, after the key's details in their dialog. */
  function panel() {
    let section = $('history-panel');
    if (section) {
      return section;
    }
    section = document.createElement('section');
    section.id = 'history-panel';
    section.setAttribute('aria-labelledby', 'history-title');
    const title = document.createElement('h3');
    title.id = 'history-title';
    title.textContent = 'History';
    const error = document.createElement('p');
    error.id = 'history-error';
    error.setAttribute('role', 'alert');
    error.hidden = true;
    const table = document.createElement('table');
    table.id = 'history-table';
    const head = table.createTHead().insertRow();
    for (const name of ['When', 'Event', 'By', 'Details']) {
      const th = document.createElement('th');
      th.textContent = name;
      head.append(th);
    }
    table.createTBody();
    const empty = document.createElement('p');
    empty.id = 'history-empty';
    empty.textContent = 'No events.';
    empty.hidden = true;
    const more = document.createElement('button');
    more.type = 'button';
    more.id = 'history-more';
    more.textContent = 'Older events';
    more.hidden = true;
    section.append(title, error, table, empty, more);
    $('details-list').after(section);
    return section;
  }

  /** An event's changes and details as one line of text. */
  function describe(e) {
    const parts = e.changes.map((c) => c.before === null && c.after === null ? c.attribute + ' changed'
      : c.attribute + ': ' + (c.before === null ? '(none)' : c.before) + ' \u2192 '
        + (c.after === null ? '(none)' : c.after));
    for (const [name, value] of Object.entries(e.details)) {
      parts.push(name.replace(/_/g, ' ') + ': ' + value);
    }
    return parts.join('; ');
  }

  function append(events) {
    const body = $('history-table').tBodies[0];
    for (const e of events) {
      const row = body.insertRow();
      row.dataset.type = e.type;
      for (const [cls, text] of [['at', e.at], ['type', e.type.replace(/_/g, ' ')], ['actor', e.actor],
        ['details', describe(e)]]) {
        const cell = row.insertCell();
        cell.className = cls;
        cell.textContent = text;
      }
    }
  }

  /** Reads one page into the table; the next page's cursor goes to "Older events". */
  async function load(call, keyId, cursor) {
    const more = $('history-more');
    more.hidden = true;
    try {
      const page = await call('GET', 'keys/' + encodeURIComponent(keyId) + '/events?limit=20'
          + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
      if (shown !== keyId) {
        return;
      }
      append(page.events);
      $('history-empty').hidden = $('history-table').tBodies[0].rows.length > 0;
      if (page.next_cursor) {
        more.hidden = false;
        more.onclick = () => load(call, keyId, page.next_cursor);
      }
    } catch (e) {
      if (shown !== keyId) {
        return;
      }
      const error = $('history-error');
      error.textContent = e.code === 'not_supported' ? 'This key store keeps no history.' : e.message;
      error.hidden = false;
    }
  }

  /** Shows the history of a key in its details: the first page, newest first. */
  function show(call, keyId) {
    panel();
    shown = keyId;
    $('history-table').tBodies[0].replaceChildren();
    $('history-error').hidden = true;
    $('history-empty').hidden = true;
    return load(call, keyId, null);
  }

  return { show };
}());
