// The console's usage panel (issue 27): a key's verifies over the last 24 h, 7 d or 30 d as a stacked bar chart,
// granted and each refusal kind told apart by pattern as well as by shade (readable without colour), with a legend
// of totals and the numbers in a table. Drawn as inline SVG from this script: no framework, no inline script or
// style (the page's CSP allows neither). console.js calls window.apikeyUsage.render with its own API call function.
'use strict';
(function () {
  const SVG = 'http://www.w3.org/2000/svg';
  const RANGES = [
    { label: 'Last 24 hours', hours: 24, bucket: 'hour' },
    { label: 'Last 7 days', hours: 24 * 7, bucket: 'hour' },
    { label: 'Last 30 days', hours: 24 * 30, bucket: 'day' },
  ];
  // Fill and pattern per series: granted solid green; refusal kind m (0, 1, ...) the hatch PATTERNS[m % 5] in the
  // shade SHADES[m % 6], its tile a size larger for each 30 kinds: 5 and 6 share no factor, so every series has a
  // style of its own (however many failure codes a host defines), and neighbours differ in pattern and shade.
  const GRANTED = '#2f6f3e';
  const PATTERNS = ['diagonal', 'cross', 'dots', 'vertical', 'horizontal'];
  const SHADES = ['#a33', '#b7791f', '#5a4fcf', '#555', '#0e7490', '#9d174d'];
  const TILE = 6;
  const WIDTH = 640;
  const HEIGHT = 160;

  function el(name, attributes, text) {
    const e = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attributes || {})) {
      e.setAttribute(k, String(v));
    }
    if (text != null) {
      e.textContent = text;
    }
    return e;
  }

  function html(name, text) {
    const e = document.createElement(name);
    if (text != null) {
      e.textContent = text;
    }
    return e;
  }

  /** The style of series {@code index} (0: granted): its shade, and its pattern and tile size (none for granted). */
  function styleOf(index) {
    if (index === 0) {
      return { fill: GRANTED, pattern: null, size: TILE };
    }
    const m = index - 1;
    const combinations = PATTERNS.length * SHADES.length;
    return { fill: SHADES[m % SHADES.length], pattern: PATTERNS[m % PATTERNS.length],
      size: TILE + 3 * Math.floor(m / combinations) };
  }

  /** The {@code <pattern>} of series {@code index} under {@code id}, or null for the solid one. */
  function patternOf(id, index) {
    const s = styleOf(index);
    if (!s.pattern) {
      return null;
    }
    const n = s.size;
    const half = n / 2;
    const p = el('pattern', { id: id + '-p' + index, width: n, height: n, patternUnits: 'userSpaceOnUse',
      'data-pattern': s.pattern, 'data-shade': s.fill });
    p.append(el('rect', { width: n, height: n, fill: '#fff' }));
    const line = { stroke: s.fill, 'stroke-width': 1.5 };
    if (s.pattern === 'diagonal') {
      p.append(el('path', Object.assign({ d: 'M0,' + n + ' L' + n + ',0' }, line)));
    } else if (s.pattern === 'cross') {
      p.append(el('path', Object.assign({ d: 'M0,' + n + ' L' + n + ',0 M0,0 L' + n + ',' + n }, line)));
    } else if (s.pattern === 'dots') {
      p.append(el('circle', { cx: half, cy: half, r: 1.5, fill: s.fill }));
    } else if (s.pattern === 'vertical') {
      p.append(el('path', Object.assign({ d: 'M' + half + ',0 L' + half + ',' + n }, line)));
    } else {
      p.append(el('path', Object.assign({ d: 'M0,' + half + ' L' + n + ',' + half }, line)));
    }
    return p;
  }

  /** The patterns of the first {@code count} series, under {@code id}. */
  function patternDefs(id, count) {
    const defs = el('defs');
    for (let i = 0; i < count; i++) {
      const p = patternOf(id, i);
      if (p) {
        defs.append(p);
      }
    }
    return defs;
  }

  function fillOf(id, index) {
    return styleOf(index).pattern ? 'url(#' + id + '-p' + index + ')' : styleOf(index).fill;
  }

  /** The series shown: granted first, then each refusal kind by its total, the largest first. */
  function seriesOf(usage) {
    const kinds = Object.entries(usage.outcomes).filter(([o]) => o !== 'granted')
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([o]) => o);
    return ['granted'].concat(kinds);
  }

  /** The chart of a usage answer (docs/JSON.md, "Usage"): one stacked bar per bucket. */
  function chart(usage, id) {
    const series = seriesOf(usage);
    const points = usage.points;
    const max = Math.max(1, ...points.map((p) => p.calls));
    const svg = el('svg', { viewBox: '0 0 ' + WIDTH + ' ' + (HEIGHT + 20), width: '100%', role: 'img',
      class: 'usage-chart', 'aria-labelledby': id + '-title' });
    svg.append(el('title', { id: id + '-title' }, usage.calls + ' verifies from ' + usage.from + ' to ' + usage.to
      + ', ' + usage.granted + ' granted, ' + usage.refused + ' refused'));
    svg.append(patternDefs(id, series.length));
    svg.append(el('line', { x1: 0, y1: HEIGHT, x2: WIDTH, y2: HEIGHT, stroke: '#888' }));
    const step = WIDTH / Math.max(1, points.length);
    points.forEach((p, i) => {
      const bar = el('g', { class: 'bar', 'data-start': p.start, 'data-calls': p.calls, 'data-granted': p.granted,
        'data-refused': p.refused });
      const parts = series.filter((s) => p.outcomes[s]).map((s) => s + ' ' + p.outcomes[s]);
      bar.append(el('title', {}, p.start + ': ' + p.calls + ' calls' + (parts.length ? ' (' + parts.join(', ')
        + ')' : '')));
      let y = HEIGHT;
      series.forEach((s, k) => {
        const n = p.outcomes[s] || 0;
        if (n === 0) {
          return;
        }
        const h = Math.max(1, n / max * (HEIGHT - 4));
        y -= h;
        bar.append(el('rect', { x: (i * step + 0.5).toFixed(2), y: y.toFixed(2), width: Math.max(1, step - 1).toFixed(2),
          height: h.toFixed(2), fill: fillOf(id, k), stroke: styleOf(k).fill,
          'stroke-width': 0.5, 'data-outcome': s, 'data-count': n }));
      });
      svg.append(bar);
    });
    svg.append(el('text', { x: 0, y: HEIGHT + 15, 'font-size': 11 }, points.length ? points[0].start : ''));
    svg.append(el('text', { x: WIDTH, y: HEIGHT + 15, 'font-size': 11, 'text-anchor': 'end' }, usage.to));
    svg.append(el('text', { x: 2, y: 11, 'font-size': 11 }, 'max ' + max + ' per ' + usage.bucket));
    return svg;
  }

  function legend(usage, id) {
    const list = html('ul');
    list.className = 'usage-legend';
    seriesOf(usage).forEach((s, k) => {
      const item = html('li');
      item.dataset.outcome = s;
      const swatch = el('svg', { width: 14, height: 14, 'aria-hidden': 'true' });
      const defs = el('defs');
      const pattern = patternOf(id + '-l', k);
      if (pattern) {
        defs.append(pattern);
      }
      swatch.append(defs, el('rect', { width: 14, height: 14, fill: fillOf(id + '-l', k), stroke: styleOf(k).fill }));
      item.append(swatch, document.createTextNode(' ' + s + ': ' + (usage.outcomes[s] || 0)));
      list.append(item);
    });
    return list;
  }

  /** The numbers behind the chart, for screen readers and for anyone who wants them exact. */
  function table(usage) {
    const details = html('details');
    details.append(html('summary', 'Numbers'));
    const t = html('table');
    t.className = 'usage-table';
    const head = html('tr');
    ['Bucket', 'Calls', 'Granted', 'Refused'].forEach((h) => head.append(html('th', h)));
    t.append(head);
    usage.points.filter((p) => p.calls > 0).forEach((p) => {
      const row = html('tr');
      [p.start, p.calls, p.granted, p.refused].forEach((v) => row.append(html('td', String(v))));
      t.append(row);
    });
    details.append(t);
    return details;
  }

  const BUCKET_MS = { minute: 60 * 1000, hour: 3600 * 1000, day: 24 * 3600 * 1000 };

  function plural(n, word) {
    return n + ' ' + word + (n === 1 ? '' : 's');
  }

  /**
   * A rotated key's use since its rotation (the successor's {@code created_at}): when it stops, the old key is safe
   * to revoke. Only grants count: a refusal of a wrong secret (or any other) can be caused by anybody who names the
   * key id. Counts are per bucket, and the rotation's own bucket holds calls from before it as well as after (and a
   * count lands in the minute it is written, a few seconds late), so only the buckets after it are counted, as the
   * old_key_used anomaly counts the minutes after the rotation's; the note says when that bucket had grants.
   * {@code successor} is the successor key, or an Error where it could not be read.
   */
  function rotationNote(key, usage, successor) {
    if (!key.replaced_by) {
      return null;
    }
    let text = 'Replaced by ' + key.replaced_by;
    if (!successor || successor instanceof Error || !successor.created_at) {
      return noteOf(text + '; when could not be read' + (successor instanceof Error ? ' (' + successor.message + ')'
        : '') + ', so its use since is unknown.');
    }
    const size = BUCKET_MS[usage.bucket] || BUCKET_MS.hour;
    const rotationBucket = Math.floor(Date.parse(successor.created_at) / size) * size;
    const after = usage.points.filter((p) => Date.parse(p.start) > rotationBucket && p.granted > 0);
    const granted = plural(after.reduce((n, p) => n + p.granted, 0), 'granted call');
    const last = after.length ? ', the last in the ' + usage.bucket + ' from ' + after[after.length - 1].start : '';
    const straddling = usage.points.find((p) => Date.parse(p.start) === rotationBucket);
    text += ' on ' + successor.created_at + '; ';
    if (straddling && straddling.granted > 0) {
      // The rotation's bucket had grants, before or after it: only the buckets after it are counted, and said so.
      text += (after.length ? 'still used after the ' + usage.bucket + ' of the rotation: ' + granted + last
        : 'not used after the ' + usage.bucket + ' of the rotation') + ' (that ' + usage.bucket + ', from '
        + straddling.start + ': ' + plural(straddling.granted, 'granted call') + ', before or after the rotation).';
    } else if (usage.points.length && Date.parse(usage.points[0].start) > rotationBucket + size) {
      // Rotated before this range: what came between is not in it.
      const since = 'in this range (since ' + usage.points[0].start + ')';
      text += after.length ? 'still used ' + since + ': ' + granted + last + '.' : 'not used ' + since + '.';
    } else {
      text += after.length ? 'still used since: ' + granted + last + '.' : 'not used since.';
    }
    return noteOf(text);
  }

  function noteOf(text) {
    const note = html('p', text);
    note.className = 'usage-rotation';
    return note;
  }

  /**
   * Renders a key's usage panel into {@code container}; {@code call(method, path)} is console.js's API call. Draws
   * the first range at once; the range buttons draw the others.
   */
  function render(container, key, call) {
    container.replaceChildren();
    container.hidden = false;
    const heading = html('h3', 'Calls');
    const ranges = html('div');
    ranges.className = 'usage-ranges';
    ranges.setAttribute('role', 'group');
    ranges.setAttribute('aria-label', 'Range');
    const body = html('div');
    body.className = 'usage-body';
    const error = html('p');
    error.className = 'usage-error';
    error.setAttribute('role', 'alert');
    error.hidden = true;
    container.append(heading, ranges, error, body);
    // A replaced key's note needs the rotation's time: its successor's creation, read once per panel.
    const successor = key.replaced_by ? call('GET', 'keys/' + encodeURIComponent(key.replaced_by)).catch((e) => e)
      : Promise.resolve(null);
    let shown = 0;
    async function show(index) {
      shown = index;
      ranges.querySelectorAll('button').forEach((b, i) => b.setAttribute('aria-pressed', String(i === index)));
      const range = RANGES[index];
      const to = new Date();
      const from = new Date(to.getTime() - range.hours * 3600 * 1000);
      try {
        const usage = await call('GET', 'keys/' + encodeURIComponent(key.key_id) + '/usage?from='
          + from.toISOString().replace(/\.\d+Z$/, 'Z') + '&to=' + to.toISOString().replace(/\.\d+Z$/, 'Z')
          + '&bucket=' + range.bucket);
        if (shown !== index) {
          return;
        }
        error.hidden = true;
        const id = 'usage-' + key.key_id + '-' + index;
        const summary = html('p', usage.calls + ' calls: ' + usage.granted + ' granted, ' + usage.refused
          + ' refused (' + (usage.refusal_rate * 100).toFixed(1) + ' %). Last used: ' + (key.last_used_at || 'never')
          + '.');
        summary.className = 'usage-summary';
        const note = rotationNote(key, usage, await successor);
        if (shown !== index) {
          return;
        }
        body.replaceChildren(...[summary, note, chart(usage, id), legend(usage, id), table(usage)]
          .filter((n) => n));
        body.dataset.range = range.label;
      } catch (e) {
        if (e && e.code === 'not_supported') {
          // A store that keeps no counts: no panel, rather than an error on every page.
          container.hidden = true;
          return;
        }
        error.textContent = 'Usage could not be read: ' + (e && e.message ? e.message : e);
        error.hidden = false;
      }
    }
    RANGES.forEach((r, i) => {
      const b = html('button', r.label);
      b.type = 'button';
      b.addEventListener('click', () => show(i));
      ranges.append(b);
    });
    show(0);
  }

  function topTable(caption, keys) {
    const t = html('table');
    t.className = 'usage-top';
    t.append(html('caption', caption));
    const head = html('tr');
    ['Key', 'Calls', 'Granted', 'Refused'].forEach((h) => head.append(html('th', h)));
    t.append(head);
    if (keys.length === 0) {
      const row = html('tr');
      const cell = html('td', 'none');
      cell.colSpan = 4;
      row.append(cell);
      t.append(row);
    }
    keys.forEach((k) => {
      const row = html('tr');
      row.dataset.keyId = k.key_id;
      [k.key_id, k.calls, k.granted, k.refused].forEach((v) => row.append(html('td', String(v))));
      t.append(row);
    });
    return t;
  }

  /**
   * Renders the tenant overview into {@code container}: for one of the caller's tenants (or, for a caller of every
   * tenant without one, every key and the refusals that named no known key), the totals and refusal rate over a
   * range, the chart, and the busiest keys and those with the most refusals.
   */
  function overview(container, me, call) {
    container.replaceChildren();
    container.hidden = false;
    const tenants = (me && me.tenants) || [];
    const subjects = tenants.slice(0, 20).map((t) => ({ label: 'Tenant ' + t, query: 'tenant=' + encodeURIComponent(t) }));
    if (me && me.all_tenants) {
      subjects.push({ label: 'Every key', query: '' });
    }
    if (subjects.length === 0) {
      container.hidden = true;
      return;
    }
    const heading = html('h2', 'Usage');
    const choices = html('div');
    choices.className = 'usage-ranges';
    const tenantSelect = html('select');
    tenantSelect.id = 'usage-tenant';
    tenantSelect.setAttribute('aria-label', 'Whose usage');
    subjects.forEach((s, i) => {
      const o = html('option', s.label);
      o.value = String(i);
      tenantSelect.append(o);
    });
    const rangeSelect = html('select');
    rangeSelect.id = 'usage-range';
    rangeSelect.setAttribute('aria-label', 'Range');
    RANGES.forEach((r, i) => {
      const o = html('option', r.label);
      o.value = String(i);
      rangeSelect.append(o);
    });
    choices.append(tenantSelect, rangeSelect);
    const error = html('p');
    error.className = 'usage-error';
    error.setAttribute('role', 'alert');
    error.hidden = true;
    const body = html('div');
    body.className = 'usage-body';
    container.append(heading, choices, error, body);
    let asked = 0;
    async function show() {
      const mine = ++asked;
      const subject = subjects[Number(tenantSelect.value)];
      const range = RANGES[Number(rangeSelect.value)];
      const to = new Date();
      const from = new Date(to.getTime() - range.hours * 3600 * 1000);
      try {
        const usage = await call('GET', 'usage?' + (subject.query ? subject.query + '&' : '') + 'from='
          + from.toISOString().replace(/\.\d+Z$/, 'Z') + '&to=' + to.toISOString().replace(/\.\d+Z$/, 'Z')
          + '&bucket=' + range.bucket + '&limit=5');
        if (mine !== asked) {
          return;
        }
        error.hidden = true;
        const id = 'usage-overview-' + mine;
        const summary = html('p', (subject.query ? '' : 'Refusals that named no known key: ') + usage.calls
          + ' calls: ' + usage.granted + ' granted, ' + usage.refused + ' refused (refusal rate '
          + (usage.refusal_rate * 100).toFixed(1) + ' %).');
        summary.className = 'usage-summary';
        body.replaceChildren(summary, chart(usage, id), legend(usage, id),
          topTable('Busiest keys', usage.busiest), topTable('Keys with the most refusals', usage.most_refused));
        body.dataset.subject = subject.label;
        body.dataset.range = range.label;
      } catch (e) {
        if (e && e.code === 'not_supported') {
          // A store that keeps no counts: no panel, rather than an error on every page.
          container.hidden = true;
          return;
        }
        error.textContent = 'Usage could not be read: ' + (e && e.message ? e.message : e);
        error.hidden = false;
      }
    }
    tenantSelect.addEventListener('change', show);
    rangeSelect.addEventListener('change', show);
    show();
  }

  window.apikeyUsage = Object.freeze({ render, overview });
}());
