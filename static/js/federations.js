// The federation drill-down of the observer, facilitator and federation
// pages: GET /api/plans/{id}/federations shown as a tree to walk down
// (city → ward → neighbourhood), each federation's roll-up of the last
// closed round per good (supply, demand, collective requests, its own
// gap), who of its members submitted, and the folded and withheld parts
// the privacy rules hide. Refreshes when a round closes (the pages fire
// pc:round.closed). Plain browser JavaScript, no build.
'use strict';

const PCFed = (() => {
  const { api, h, num, t } = PC;

  // mount fills section root (with a <div class="fed-body">) and returns
  // {refresh}; onData, if given, gets every answer.
  function mount(root, { plan, token, onData }) {
    const body = root.querySelector('.fed-body');
    const live = root.querySelector('.fed-live');
    let data = null, at = '', none = false;
    async function refresh() {
      try {
        data = await api('/api/plans/' + encodeURIComponent(plan) + '/federations', { token });
      } catch (e) {
        body.replaceChildren(h('p', { class: 'notice err' }, t('The federations could not be loaded: {why}', { why: e.message })));
        return;
      }
      root.hidden = !data.federations.length;
      root.querySelectorAll('.fed-k').forEach((el) => { el.textContent = data.k; });
      // A plan without federations never gets any: stop asking.
      if (!data.federations.length) { none = true; return; }
      if (!at || !byId(at)) at = data.federations.find((f) => !f.parent || !byId(f.parent)).id;
      render();
      if (onData) onData(data);
    }
    function byId(id) { return data.federations.find((f) => f.id === id); }
    function children(id) { return data.federations.filter((f) => f.parent === id); }
    function go(id) {
      at = id;
      render();
      const hd = body.querySelector('h3');
      if (hd) hd.focus();
      if (live) PC.announce(live, t('Showing {name}.', { name: label(byId(id)) }));
    }
    function label(f) { return f.name ? f.name + ' (' + f.id + ')' : f.id; }
    function render() {
      const f = byId(at);
      const path = [];
      for (let x = f; x; x = x.parent ? byId(x.parent) : null) path.unshift(x);
      const crumbs = h('nav', { 'aria-label': t('Federation path'), class: 'crumbs' },
        h('ol', null, ...path.map((x, i) => h('li', null, i === path.length - 1
          ? h('span', { 'aria-current': 'page' }, label(x))
          : h('button', { type: 'button', class: 'link', onclick: () => go(x.id) }, label(x))))));
      const round = data.round === null ? t('no round has closed yet') : t('round {n}', { n: data.round });
      const parts = [crumbs, h('h3', { tabindex: '-1' }, label(f) + ' — ' + round)];
      if (f.folded) {
        parts.push(h('p', { class: 'notice' }, t('Folded into {parent}: it has fewer councils than the privacy rules show anything about, so its numbers count only in its parent\'s. Members: {members}.', {
          parent: f.parent ? label(byId(f.parent) || { id: f.parent }) : t('its parent'), members: f.members.join(', ') || t('none'),
        })));
      } else if (data.round !== null) {
        const levy = typeof f.levy === 'number' && f.levy > 0
          ? t('levy {levy} · collective budget {budget}', { levy: PC.pct(f.levy), budget: num(f.budget) }) + ' ' + (f.human ? t('(decided by people)') : t('(simulated)'))
          : t('no collective consumption');
        parts.push(h('p', null, t('{councils} councils in it and below, {submitted} submitted in the round', { councils: f.councils || 0, submitted: f.submitted || 0 }) + ' · ' + levy));
        const sub = new Set(f.submittedMembers || []);
        if (f.members.length) {
          parts.push(h('p', null, t('Direct members who submitted: {ids}', { ids: f.members.filter((m) => sub.has(m)).join(', ') || t('none') }) +
            (f.members.some((m) => !sub.has(m)) ? '; ' + t('not yet: {ids}', { ids: f.members.filter((m) => !sub.has(m)).join(', ') }) : '') + '.'));
        }
        parts.push(goodsTable(f));
      } else {
        parts.push(h('p', { class: 'muted' }, t('Members: {ids}. The roll-ups appear when round 0 closes.', { ids: f.members.join(', ') || t('none') })));
      }
      const kids = children(f.id);
      if (kids.length) {
        parts.push(h('table', { class: 'fed-kids' },
          h('caption', null, t('Federations in {name}', { name: label(f) })),
          h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('Federation')), h('th', { scope: 'col', class: 'num' }, t('Councils')),
            h('th', { scope: 'col', class: 'num' }, t('Submitted')), h('th', { scope: 'col', class: 'num' }, t('Collective budget')))),
          h('tbody', null, ...kids.map((k) => h('tr', null,
            h('th', { scope: 'row' }, h('button', { type: 'button', class: 'link', onclick: () => go(k.id) }, label(k))),
            h('td', { class: 'num' }, k.folded ? t('folded') : String(k.councils ?? '—')),
            h('td', { class: 'num' }, k.folded ? '—' : String(k.submitted ?? '—')),
            h('td', { class: 'num' }, k.folded ? '—' : num(k.budget)))))));
      }
      body.replaceChildren(...parts);
    }
    function goodsTable(f) {
      const goods = new Set([...Object.keys(f.supply || {}), ...Object.keys(f.demand || {}), ...Object.keys(f.collective || {})]);
      const withheld = new Set(f.withheld || []);
      const cell = (m, g, side) => {
        if (withheld.has(g + '.' + side)) return h('td', { class: 'num withheld' }, t('withheld'));
        return h('td', { class: 'num' }, num((m || {})[g] ?? 0));
      };
      const rows = [...goods].sort().map((g) => {
        const gap = h('td');
        if (f.gaps && typeof f.gaps[g] === 'number') PC.gapCell(gap, f.gaps[g]);
        else { gap.className = 'num'; gap.textContent = '—'; }
        return h('tr', null, h('th', { scope: 'row' }, g), cell(f.supply, g, 'supply'), cell(f.demand, g, 'demand'),
          h('td', { class: 'num' }, num((f.collective || {})[g] ?? 0)), gap);
      });
      return h('div', { class: 'scroll tall' }, h('table', { class: 'fed-goods' },
        h('caption', null, t('Per good in {name}: what its councils supply and demand, its collective requests, and its own gap (the balance of its councils and collective requests; "withheld" where fewer than {k} councils are behind a total)', { name: label(f), k: data.k })),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('Good')), h('th', { scope: 'col', class: 'num' }, t('Supply')),
          h('th', { scope: 'col', class: 'num' }, t('Demand')), h('th', { scope: 'col', class: 'num' }, t('Collective')),
          h('th', { scope: 'col', class: 'num' }, t('Own gap')))),
        h('tbody', null, ...(rows.length ? rows : [h('tr', null, h('td', { colspan: '5' }, t('Nothing in this round.')))]))));
    }
    const csv = root.querySelector('.fed-csv');
    if (csv) csv.addEventListener('click', async () => {
      try {
        const text = await api('/api/plans/' + encodeURIComponent(plan) + '/federations.csv', { token, raw: true });
        PC.download('federations-' + plan + '.csv', text, 'text/csv');
      } catch (e) {
        PC.announce(live || body, t('The CSV could not be loaded: {why}', { why: e.message }), 'err');
      }
    });
    document.addEventListener('pc:round.closed', () => { if (!none) refresh(); });
    refresh();
    return { refresh };
  }

  // Pages with a #federations section get the drill-down by themselves.
  document.addEventListener('DOMContentLoaded', () => {
    const root = document.getElementById('federations');
    const P = PC.params();
    if (root && P.plan && P.token) mount(root, { plan: P.plan, token: P.token, onData: (d) => document.dispatchEvent(new CustomEvent('pc:federations', { detail: d })) });
  });

  return { mount };
})();
