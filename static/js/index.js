// The start page: the plans on this server and a form that creates one.
'use strict';
(() => {
  const { api, h } = PC;
  const errors = document.getElementById('errors');
  const status = document.getElementById('create-status');

  function showError(msg) { PC.announce(errors, msg, 'err'); }

  async function loadPlans() {
    const tbody = document.querySelector('#plans tbody');
    try {
      const data = await api('/api/plans');
      const plans = data.plans;
      plans.sort((a, b) => String(b.createdAt || '').localeCompare(String(a.createdAt || '')));
      if (!plans.length) {
        tbody.replaceChildren(h('tr', null, h('td', { colspan: 5 }, 'No plans yet: create one below.')));
        return;
      }
      tbody.replaceChildren(...plans.map((p) => h('tr', null,
        h('th', { scope: 'row' }, p.name || '(unnamed)'),
        h('td', null, h('code', null, p.id)),
        h('td', null, h('span', { class: 'chip ' + (p.status === 'converged' ? 'yes' : 'no') }, p.status || '?')),
        h('td', { class: 'num' }, p.round ?? '—'),
        h('td', null, p.createdAt ? new Date(p.createdAt).toLocaleString() : '—'))));
    } catch (e) {
      tbody.replaceChildren(h('tr', null, h('td', { colspan: 5 }, 'Could not load the plans.')));
      showError('Could not load the plans: ' + e.message);
    }
  }

  async function loadExamples() {
    const sel = document.getElementById('example');
    try {
      const names = (await api('/api/examples')).examples;
      sel.replaceChildren(...names.map((n) => h('option', { value: n }, n)));
      if (!names.length) sel.replaceChildren(h('option', { value: '' }, 'no bundled examples'));
    } catch (e) {
      sel.replaceChildren(h('option', { value: '' }, 'unavailable'));
      showError('Could not load the bundled examples: ' + e.message);
    }
  }

  let lastLinks = '';
  function showCreated(res, name) {
    const base = location.origin;
    const rows = [];
    const link = (page, tok) => base + '/' + page + '#plan=' + encodeURIComponent(res.id) + '&token=' + encodeURIComponent(tok);
    rows.push(['Facilitator', link('facilitator.html', res.facilitatorToken), res.facilitatorToken]);
    rows.push(['Observer', link('observer.html', res.observerToken), res.observerToken]);
    for (const [cid, tok] of Object.entries(res.councilTokens || {}).sort()) {
      rows.push(['Council ' + cid, link('council.html', tok), tok]);
    }
    for (const [fid, tok] of Object.entries(res.federationTokens || {}).sort()) {
      rows.push(['Federation ' + fid, link('federation.html', tok), tok]);
    }
    const tbody = document.querySelector('#links tbody');
    tbody.replaceChildren(...rows.map(([role, url, tok]) => h('tr', null,
      h('th', { scope: 'row' }, role),
      h('td', { 'data-label': 'Page' }, h('a', { href: url, target: '_blank', rel: 'noopener' }, url)),
      h('td', { 'data-label': 'Token' }, h('code', null, tok)))));
    lastLinks = 'parecon plan ' + res.id + (name ? ' (' + name + ')' : '') + '\n' +
      'Keep this file private: each link carries a token that acts in its role.\n\n' +
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
  document.getElementById('example').addEventListener('change', () => { document.getElementById('src-example').checked = true; });

  document.getElementById('create').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    errors.textContent = '';
    const btn = document.getElementById('create-btn');
    const source = document.querySelector('input[name="source"]:checked').value;
    let body, name;
    if (source === 'file') {
      const f = document.getElementById('file').files[0];
      if (!f) { showError('Choose a scenario file first.'); document.getElementById('file').focus(); return; }
      body = await f.text();
      name = f.name;
    } else {
      name = document.getElementById('example').value;
      if (!name) { showError('Choose an example first.'); return; }
      body = { example: name };
    }
    btn.disabled = true;
    status.textContent = 'Creating…';
    try {
      const res = await api('/api/plans', { method: 'POST', body });
      status.textContent = 'Plan ' + res.id + ' created.';
      showCreated(res, name);
      loadPlans();
    } catch (e) {
      status.textContent = '';
      showError('The server did not create the plan: ' + e.message + (e.field ? ' (at ' + e.field + ')' : ''));
    } finally {
      btn.disabled = false;
    }
  });

  document.getElementById('refresh').addEventListener('click', loadPlans);
  loadPlans();
  loadExamples();
})();
