// The commons panel of the observer and facilitator pages (docs/commons.md):
// the levy, the fund and each commons good's stock K, output and users,
// round by round, as a chart with its data as a table. It draws nothing in
// a plan without commons goods.
'use strict';
(() => {
  const { api, h, num } = PC;
  const COLORS = ['#0b57a4', '#c0392b', '#1e7b34', '#7d3c98', '#b35900', '#117a8b'];

  // commonsPanel renders into the section el (hidden until the plan has a
  // commons good) from the plan at base; call load() on every snapshot and
  // onClosed(frame) on every round.closed.
  function commonsPanel(el, base, token) {
    const st = { goods: [], rows: [], chart: null };
    const $ = (sel) => el.querySelector(sel);
    function commons() { return st.goods.filter((g) => g.rival === false); }
    function add(r) {
      if (!r || typeof r.levy !== 'number') return;
      const i = st.rows.findIndex((x) => x.round === r.round);
      if (i >= 0) st.rows[i] = r; else st.rows.push(r);
      st.rows.sort((a, b) => a.round - b.round);
    }
    function render() {
      const cg = commons();
      el.hidden = !cg.length;
      if (!cg.length) return;
      const last = st.rows[st.rows.length - 1];
      $('.commons-now').textContent = last
        ? 'Round ' + last.round + ': levy ' + PC.pct(last.levy) + ' of the plan\'s income, a fund of ' + num(last.fund) + '. ' +
          cg.map((g) => PC.goodName(g) + ': K ' + num((last.commons || {})[g.id]) + ' (stock ' + num(g.stock) + '), output ' +
            shown(last, g.id, 'supply') + ', used by ' + shown(last, g.id, 'users') + ' people').join('; ') + '.'
        : 'No round has closed yet. Stocks at the start: ' + cg.map((g) => PC.goodName(g) + ' ' + num(g.stock)).join(', ') + '.';
      const xs = st.rows.map((r) => r.round);
      const series = [{ label: 'round' }];
      const data = [xs];
      cg.forEach((g, i) => {
        const c = COLORS[i % COLORS.length];
        series.push({ label: g.id + ' K', stroke: c, width: 2, value: (u, v) => num(v) });
        data.push(st.rows.map((r) => (r.commons || {})[g.id] ?? null));
        series.push({ label: g.id + ' output', stroke: c, dash: [6, 4], width: 2, value: (u, v) => num(v) });
        data.push(st.rows.map((r) => (r.supply || {})[g.id] ?? null));
      });
      const box = $('.commons-chart');
      if (st.chart) st.chart.destroy();
      st.chart = null;
      box.replaceChildren();
      if (typeof uPlot === 'undefined') box.textContent = 'The chart library did not load; the table has the data.';
      else if (xs.length) {
        st.chart = new uPlot({ width: Math.max(260, box.clientWidth - 8), height: 240, scales: { x: { time: false } },
          axes: [{ label: 'round', incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000], values: (u, vs) => vs.map((v) => (Number.isInteger(v) ? String(v) : '')) }, { label: 'commons K and output', size: 70, values: (u, vs) => vs.map((v) => num(v)) }], series }, data, box);
      }
      box.dataset.rounds = String(xs.length);
      box.setAttribute('aria-label', 'Chart of each commons good\'s K (solid) and output (dashed) over ' + xs.length + ' rounds. The table beside it has the data.');
      const t = $('#commons-table');
      t.tHead.replaceChildren(h('tr', null, h('th', { scope: 'col', class: 'num' }, 'Round'), h('th', { scope: 'col', class: 'num' }, 'Levy'),
        h('th', { scope: 'col', class: 'num' }, 'Fund'),
        ...cg.flatMap((g) => ['K', 'output', 'users'].map((w) => h('th', { scope: 'col', class: 'num' }, g.id + ' ' + w)))));
      t.tBodies[0].replaceChildren(...st.rows.slice().reverse().map((r) => h('tr', null,
        h('th', { scope: 'row', class: 'num' }, r.round), h('td', { class: 'num' }, PC.pct(r.levy)), h('td', { class: 'num' }, num(r.fund)),
        ...cg.flatMap((g) => [num((r.commons || {})[g.id]), shown(r, g.id, 'supply'), shown(r, g.id, 'users')].map((v) => h('td', { class: 'num' }, v))))));
    }
    // shown is round r's figure of good id's side ("supply" or "users"), or
    // "withheld" where the privacy rules withhold it (fewer than k councils).
    function shown(r, id, side) {
      if ((r.withheld || []).includes(id + '.' + side)) return 'withheld';
      return num((r[side] || {})[id] || 0);
    }
    async function load() {
      try {
        const [plan, rounds] = await Promise.all([api(base, { token }), api(base + '/rounds', { token })]);
        st.goods = plan.goods || [];
        for (const r of rounds.rounds) add(r);
        render();
      } catch (_) { /* the page's own loading reports errors */ }
    }
    return { load, onClosed(f) { add(f); render(); } };
  }
  PC.commonsPanel = commonsPanel;
})();
