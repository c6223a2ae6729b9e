// The start page: the plans on this server and a form that creates one,
// from a bundled example (choosing which of its councils are people) or
// an uploaded scenario.
'use strict';
(() => {
  const { api, h, t } = PC;
  const errors = document.getElementById('errors');
  const status = document.getElementById('create-status');
  const examples = new Map(); // name → ExampleInfo

  function showError(msg) { PC.announce(errors, msg, 'err'); }

  // showProblems lists a refused scenario's problems, one per line of the
  // server's message, as a list under a heading.
  function showProblems(e) {
    const lines = String(e.message || '').split('\n').map((l) => l.trim()).filter(Boolean);
    errors.className = 'notice err';
    errors.replaceChildren();
    setTimeout(() => {
      errors.replaceChildren(
        h('p', null, lines.length > 1 ? t('The server did not create the plan: the scenario has {n} problems.', { n: lines.length }) : t('The server did not create the plan.')),
        h('ul', { class: 'problems' }, ...lines.map((l) => h('li', null, l))));
    }, 30);
  }

  async function loadPlans() {
    const tbody = document.querySelector('#plans tbody');
    try {
      const data = await api('/api/plans');
      const plans = data.plans;
      plans.sort((a, b) => String(b.createdAt || '').localeCompare(String(a.createdAt || '')));
      if (!plans.length) {
        tbody.replaceChildren(h('tr', null, h('td', { colspan: 5 }, t('No plans yet: create one below.'))));
        return;
      }
      tbody.replaceChildren(...plans.map((p) => h('tr', null,
        h('th', { scope: 'row' }, p.name || t('(unnamed)')),
        h('td', { class: 'hide-narrow' }, h('code', null, p.id)),
        h('td', null, h('span', { class: 'chip ' + (p.status === 'converged' ? 'yes' : 'no') }, t(p.status || '?'))),
        h('td', { class: 'num' }, p.round ?? '—'),
        h('td', { class: 'hide-narrow' }, p.createdAt ? new Date(p.createdAt).toLocaleString(I18N.lang()) : '—'))));
    } catch (e) {
      tbody.replaceChildren(h('tr', null, h('td', { colspan: 5 }, t('Could not load the plans.'))));
      showError(t('Could not load the plans: {why}', { why: e.message }));
    }
  }

  async function loadExamples() {
    const sel = document.getElementById('example');
    try {
      const list = await api('/api/examples');
      for (const d of list.details || []) examples.set(d.name, d);
      const names = list.examples;
      sel.replaceChildren(...names.map((n) => h('option', { value: n }, n)));
      if (!names.length) sel.replaceChildren(h('option', { value: '' }, t('no bundled examples')));
      if (names.includes('millbrook')) sel.value = 'millbrook';
      showExample();
    } catch (e) {
      sel.replaceChildren(h('option', { value: '' }, t('unavailable')));
      showError(t('Could not load the bundled examples: {why}', { why: e.message }));
    }
  }

  // showExample describes the chosen example and lists its councils to
  // choose the people's: suggested ones ticked, model-less ones ticked
  // and fixed.
  function showExample() {
    const d = examples.get(document.getElementById('example').value);
    document.getElementById('example-desc').textContent = d ? d.description : '';
    const box = document.getElementById('humans-box');
    box.hidden = !d;
    if (!d) return;
    const list = d.councils.slice(0, 400);
    document.getElementById('humans').replaceChildren(...list.map((c) => {
      const id = 'human-' + c.id;
      const cb = h('input', { type: 'checkbox', id, value: c.id, name: 'humans' });
      cb.checked = c.human || c.suggested;
      cb.disabled = c.human;
      const what = c.type === 'worker' ? (c.makes ? t('makes {good}', { good: goodLabel(d, c.makes) }) : t('workplace')) : t('neighbourhood');
      return h('span', null, cb, ' ', h('label', { for: id }, c.id, ' ', h('span', { class: 'muted' }, '(' + what + (c.human ? ', ' + t('always people') : '') + ')')));
    }));
    if (d.councils.length > list.length) {
      document.getElementById('humans').append(h('p', { class: 'muted' }, t('The first {n} of {m} councils are listed.', { n: list.length, m: d.councils.length })));
    }
  }
  function goodLabel(d, id) { const g = d.goods.find((x) => x.id === id); return g ? PC.shortName(g) : id; }

  function chosenHumans() {
    return [...document.querySelectorAll('#humans input:checked')].filter((c) => !c.disabled).map((c) => c.value);
  }

  let lastLinks = '';
  function showCreated(res, name) {
    const base = location.origin;
    const rows = [];
    const link = (page, tok) => base + '/' + page + '#plan=' + encodeURIComponent(res.id) + '&token=' + encodeURIComponent(tok);
    rows.push([t('Facilitator'), link('facilitator.html', res.facilitatorToken), res.facilitatorToken]);
    rows.push([t('Observer'), link('observer.html', res.observerToken), res.observerToken]);
    for (const [cid, tok] of Object.entries(res.councilTokens || {}).sort()) {
      rows.push([t('Council {id}', { id: cid }), link('council.html', tok), tok]);
    }
    for (const [fid, tok] of Object.entries(res.federationTokens || {}).sort()) {
      rows.push(['Federation ' + fid, link('federation.html', tok), tok]);
    }
    const tbody = document.querySelector('#links tbody');
    tbody.replaceChildren(...rows.map(([role, url, tok]) => h('tr', null,
      h('th', { scope: 'row' }, role),
      h('td', { 'data-label': t('Page') }, h('a', { href: url, target: '_blank', rel: 'noopener' }, url)),
      h('td', { 'data-label': t('Token') }, h('code', null, tok)))));
    lastLinks = 'parecon plan ' + res.id + (name ? ' (' + name + ')' : '') + '\n' +
      t('Keep this file private: each link carries a token that acts in its role.') + '\n\n' +
      rows.map(([role, url, tok]) => role + '\n  ' + url + '\n  token ' + tok + '\n').join('\n');
    const sec = document.getElementById('created');
    sec.hidden = false;
    sec.focus();
  }

  document.getElementById('save-links').addEventListener('click', () => {
    PC.download('parecon-plan-links.txt', lastLinks);
  });

  // choosing a file or an example selects its radio button
  document.getElementById('file').addEventListener('change', () => { document.getElementById('src-file').checked = true; });
  document.getElementById('example').addEventListener('change', () => { document.getElementById('src-example').checked = true; showExample(); });
  document.getElementById('humans-suggested').addEventListener('click', () => {
    const d = examples.get(document.getElementById('example').value);
    for (const cb of document.querySelectorAll('#humans input')) {
      const c = d && d.councils.find((x) => x.id === cb.value);
      cb.checked = !!c && (c.human || c.suggested);
    }
  });
  document.getElementById('humans-none').addEventListener('click', () => {
    for (const cb of document.querySelectorAll('#humans input')) if (!cb.disabled) cb.checked = false;
  });

  document.getElementById('create').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    errors.textContent = '';
    const btn = document.getElementById('create-btn');
    const source = document.querySelector('input[name="source"]:checked').value;
    let body, name;
    if (source === 'file') {
      const f = document.getElementById('file').files[0];
      if (!f) { showError(t('Choose a scenario file first.')); document.getElementById('file').focus(); return; }
      body = await f.text();
      name = f.name;
    } else {
      name = document.getElementById('example').value;
      if (!name) { showError(t('Choose an example first.')); document.getElementById('example').focus(); return; }
      body = { example: name, humans: chosenHumans() };
    }
    btn.disabled = true;
    status.textContent = t('Creating…');
    try {
      const res = await api('/api/plans', { method: 'POST', body });
      status.textContent = t('Plan {id} created.', { id: res.id });
      showCreated(res, name);
      loadPlans();
    } catch (e) {
      status.textContent = '';
      if (e.field && String(e.message).includes('\n')) showProblems(e);
      else showError(t('The server did not create the plan: {why}', { why: e.message + (e.field ? ' (' + t('at {field}', { field: e.field }) + ')' : '') }));
    } finally {
      btn.disabled = false;
    }
  });

  document.getElementById('refresh').addEventListener('click', loadPlans);
  loadPlans();
  loadExamples();
})();
