// The council page: the open round, its prices, the council's budget or
// SB/SC as it types, submitting over the websocket, the verdict next to the
// field it names, and the council's own proposals round by round.
'use strict';
(() => {
  const { api, h, num, t } = PC;
  const P = PC.params();
  const $ = (id) => document.getElementById(id);
  // setHidden hides or shows element id where the page has it (a
  // federation's page has no SB/SC help, budget change or commons panel).
  const setHidden = (id, v) => { const e = $(id); if (e) e.hidden = v; };
  const errors = $('errors');

  // loadProof shows whether the council's proposal is in round n's root.
  async function loadProof(n) {
    if (!(n >= 0) || !$('proof-line')) return; // a federation's page has no proof line
    try {
      const pf = await api('/api/plans/' + encodeURIComponent(P.plan) + '/rounds/' + n + '/proof', { token: P.token });
      const line = $('proof-line');
      // the root, in its own <code>, goes where {root} is in the sentence
      const [before, after = ''] = t('Your proposal is in round {n}\'s root {root} (leaf {i} of {size}).', { n, i: pf.index + 1, size: pf.size }).split('{root}');
      line.replaceChildren(before, h('code', null, pf.root), after);
      line.dataset.round = String(n);
    } catch (e) {
      $('proof-line').textContent = e.status === 404 ? t('You had no proposal in round {n}, so none of yours is in its root.', { n }) : t('Could not load the proof of round {n}: {why}', { n, why: e.message });
    }
  }
  if (!PC.requireParams(P, errors)) { $('conn').textContent = t('no link'); return; }

  const st = {
    role: '', councilId: '', plan: null, council: null,
    round: null, goods: new Map(), sections: [], built: '', touched: false, pending: new Map(),
    proposals: [], budgets: new Map(), ownStandIn: false, stoodIn: null,
  };
  let ws = null;

  const SECTIONS = {
    worker: [
      { key: 'outputs', title: 'Outputs: what you will make', kinds: ['produced'] },
      { key: 'inputs', title: 'Inputs: labour, resources and goods you will use', kinds: ['labor', 'resource', 'produced'] },
      { key: 'emissions', title: 'Emissions: the pollution your work causes, within the plan\'s allowance', kinds: ['pollutant'] },
    ],
    consumer: [
      { key: 'requests', title: 'Requests: what your members will consume', kinds: ['produced', 'resource'] },
    ],
    federation: [
      { key: 'requests', title: 'Collective requests: what your federation will provide its members in common', kinds: ['produced', 'resource'] },
    ],
  };

  function price(id) {
    const p = st.round && st.round.prices ? st.round.prices[id] : undefined;
    return typeof p === 'number' ? p : NaN;
  }
  function isWorker() { return (st.council && st.council.type) === 'worker'; }
  function isFederation() { return (st.council && st.council.type) === 'federation'; }

  // build makes one labelled number field per good in each section.
  function build() {
    const type = isWorker() ? 'worker' : (isFederation() ? 'federation' : 'consumer');
    const goods = (st.plan.goods || []);
    const key = type + '|' + goods.map((g) => g.id).join(',') + '|' + (st.council.output || '');
    if (key === st.built) return;
    st.built = key;
    const out = st.council.output;
    st.sections = SECTIONS[type].map((s) => {
      // a commons good is never requested nor an input: it is free to use
      let gs = goods.filter((g) => s.kinds.includes(g.kind) && (g.rival !== false || s.key === 'outputs'));
      if (type === 'worker' && s.key === 'outputs' && out) gs = goods.filter((g) => g.id === out);
      if (type === 'worker' && s.key === 'inputs' && out) gs = gs.filter((g) => g.id !== out);
      return { ...s, goods: gs };
    }).filter((s) => s.goods.length);
    const fields = $('fields');
    const total = st.sections.reduce((n, s) => n + s.goods.length, 0);
    const filter = total > 10 ? h('div', { class: 'row' },
      h('label', { for: 'filter' }, t('Show only goods matching')),
      h('input', { type: 'text', id: 'filter', autocomplete: 'off', 'aria-describedby': 'filter-help' }),
      h('span', { id: 'filter-help', class: 'muted' }, t('Goods with a quantity always show.'))) : null;
    if (filter) filter.querySelector('input').addEventListener('input', (ev) => applyFilter(ev.target.value));
    fields.replaceChildren(...(filter ? [filter] : []), ...st.sections.map((s) => {
      const fs = h('fieldset', { id: 'fs-' + s.key },
        h('legend', null, t(s.title)),
        h('div', { class: 'field-error', id: 'err-' + s.key, 'aria-live': 'assertive' }));
      for (const g of s.goods) {
        const id = 'q-' + s.key + '-' + g.id;
        const input = h('input', {
          type: 'number', id, name: s.key + '.' + g.id, min: '0', step: 'any', inputmode: 'decimal',
          'data-section': s.key, 'data-good': g.id, autocomplete: 'off',
          'aria-describedby': 'hint-' + id + ' err-' + id,
        });
        input.addEventListener('input', () => { st.touched = true; clearFieldError(input); update(); });
        fs.append(h('div', { class: 'qty' },
          h('label', { for: id }, g.name || g.id,
            h('span', { class: 'hint', id: 'hint-' + id }, (g.unit ? t('in {unit}', { unit: g.unit }) + ' · ' : '') + t('price') + ' ', h('span', { class: 'p', 'data-good': g.id }, '—'))),
          input,
          h('span', { class: 'value', id: 'val-' + id, 'aria-hidden': 'true' }),
          h('span', { class: 'field-error', id: 'err-' + id, 'aria-live': 'assertive' })));
      }
      return fs;
    }));
    $('mine-measure').textContent = isWorker() ? 'SB/SC' : t('Cost / budget');
    setHidden('sbsc-explain', !isWorker());
    buildCommons();
  }

  function commonsGoods() { return ((st.plan && st.plan.goods) || []).filter((g) => g.rival === false); }
  function commonsInputs() { return [...document.querySelectorAll('#commons-fields input')]; }
  // numberField is one labelled number input whose id is q- and the field
  // path with dots as dashes (commons.weights.design: q-commons-weights-design),
  // so that a rejection finds it.
  function numberField(path, label, hint, attrs) {
    const id = 'q-' + path.split('.').join('-');
    const input = h('input', { type: 'number', id, name: path, min: '0', step: 'any', inputmode: 'decimal', autocomplete: 'off',
      'aria-describedby': 'hint-' + id + ' err-' + id, ...attrs });
    input.addEventListener('input', () => { st.touched = true; clearFieldError(input); });
    return h('div', { class: 'qty' }, h('label', { for: id }, label, h('span', { class: 'hint', id: 'hint-' + id }, hint)),
      input, h('span', { class: 'value', id: 'val-' + id, 'aria-hidden': 'true' }), h('span', { class: 'field-error', id: 'err-' + id, 'aria-live': 'assertive' }));
  }
  // buildCommons adds a consumer council's vote for the commons fund (its
  // share of the plan's income and its split, in percent) and its uses.
  function buildCommons() {
    const cg = commonsGoods();
    const box = $('commons-fields');
    if (!box) return; // a federation's page: it requests, it does not vote
    if (isWorker() || !cg.length) { box.replaceChildren(); return; }
    box.replaceChildren(
      h('fieldset', { id: 'fs-commons' }, h('legend', null, t('Your vote for the commons fund (leave empty to abstain)')),
        h('div', { class: 'field-error', id: 'err-commons', 'aria-live': 'assertive' }),
        numberField('commons.share', t('Share of the plan\'s income for the commons, in %'), t('from 0 to under 100'), { max: '99.999' }),
        ...(cg.length > 1 ? cg.map((g) => numberField('commons.weights.' + g.id, t('Part of the fund for {good}, in %', { good: PC.goodName(g) }),
          t('the parts add up to 100; leave all empty for equal parts'))) : [])),
      h('fieldset', { id: 'fs-uses' }, h('legend', null, t('Commons your members use (free, never limited; for the record)')),
        h('div', { class: 'field-error', id: 'err-uses', 'aria-live': 'assertive' }),
        ...cg.map((g) => numberField('uses.' + g.id, t('Members who use {good}', { good: PC.goodName(g) }), t('people')))));
  }
  // readCommons adds the vote and uses in the form to proposal.
  function readCommons(proposal, problems) {
    const weights = {};
    for (const inp of commonsInputs()) {
      const v = inp.value.trim();
      if (v === '') { if (inp.validity && inp.validity.badInput) problems.push([inp, t('not a number')]); continue; }
      const n = Number(v);
      if (!isFinite(n)) { problems.push([inp, t('not a finite number')]); continue; }
      const [sec, a, b] = inp.name.split('.');
      if (sec === 'uses') (proposal.uses = proposal.uses || {})[a] = n;
      else if (a === 'share') (proposal.commons = proposal.commons || {}).share = n / 100;
      else weights[b] = n / 100;
    }
    if (Object.keys(weights).length) {
      if (!proposal.commons) problems.push([$('q-commons-share'), t('needed with a split: your share for the commons')]);
      else proposal.commons.weights = weights;
    }
  }
  function fillCommons(pr) {
    for (const inp of commonsInputs()) {
      const [sec, a, b] = inp.name.split('.');
      let v;
      if (sec === 'uses') v = ((pr || {}).uses || {})[a];
      else if (a === 'share') v = (pr || {}).commons ? pr.commons.share * 100 : undefined;
      else v = (((pr || {}).commons || {}).weights || {})[b] !== undefined ? pr.commons.weights[b] * 100 : undefined;
      inp.value = v !== undefined ? String(v) : '';
    }
  }
  function renderCommons() {
    const cg = commonsGoods();
    const r = st.round || {};
    if (!$('commons-panel')) return;
    $('commons-panel').hidden = !cg.length;
    if (!cg.length) return;
    $('commons-line').textContent = typeof r.levy === 'number'
      ? t('This round the levy is {levy} of the plan\'s income: a fund of {fund}.', { levy: PC.pct(r.levy), fund: num(r.fund) }) : '';
    $('commons-table').tBodies[0].replaceChildren(...cg.map((g) => h('tr', null,
      h('th', { scope: 'row' }, PC.goodName(g)),
      h('td', { class: 'num' }, num((r.commons || {})[g.id])),
      h('td', { class: 'num' }, num(price(g.id))))));
  }

  // applyFilter hides the rows of goods that match neither the text nor have a quantity.
  function applyFilter(text) {
    const q = text.trim().toLowerCase();
    for (const inp of inputs()) {
      const row = inp.closest('.qty');
      const g = (st.plan.goods || []).find((x) => x.id === inp.dataset.good) || {};
      const hit = !q || inp.value !== '' || g.id.toLowerCase().includes(q) || (g.name || '').toLowerCase().includes(q);
      row.hidden = !hit;
    }
  }

  function inputs() { return [...document.querySelectorAll('#fields input[type=number]')]; }

  // read returns the proposal in the form and any local problems (text that is not a number).
  function read() {
    const proposal = {};
    for (const s of st.sections) proposal[s.key] = {};
    const problems = [];
    for (const inp of inputs()) {
      const v = inp.value.trim();
      if (v === '') {
        if (inp.validity && inp.validity.badInput) problems.push([inp, t('not a number')]);
        continue;
      }
      const n = Number(v);
      if (!isFinite(n)) { problems.push([inp, t('not a finite number')]); continue; }
      proposal[inp.dataset.section][inp.dataset.good] = n;
    }
    return { proposal, problems };
  }

  function value(m) {
    let v = 0;
    for (const [g, q] of Object.entries(m || {})) v += price(g) * q;
    return v;
  }

  // update recomputes the meter as the user types.
  function update() {
    if (!st.round) return;
    for (const inp of inputs()) {
      const q = Number(inp.value);
      const v = $('val-' + inp.id);
      v.textContent = inp.value.trim() !== '' && isFinite(q) ? '= ' + PC.money(q * price(inp.dataset.good), st.plan) : '';
    }
    const { proposal } = read();
    const meter = $('meter'), text = $('meter-text'), detail = $('meter-detail');
    if (isWorker()) {
      const sb = value(proposal.outputs);
      const sc = value(proposal.inputs) + value(proposal.emissions);
      let ratio, msg, ok;
      if (sb === 0 && sc === 0) { ratio = 0; ok = true; msg = t('Nothing proposed yet: an all-zero proposal passes.'); }
      else if (sc === 0) { ratio = Infinity; ok = true; msg = t('SB/SC: no social cost, passes.'); }
      else {
        ratio = sb / sc;
        ok = ratio >= 1 - 1e-9;
        msg = 'SB/SC ' + num(ratio) + (ok ? t(': passes (at least 1).') : t(': below 1, the board would reject it.'));
      }
      meter.max = 2; meter.low = 1; meter.high = 1.5; meter.optimum = 2;
      meter.value = isFinite(ratio) ? Math.min(ratio, 2) : 2;
      text.textContent = msg;
      text.className = 'reading ' + (ok ? 'ok' : 'bad');
      detail.textContent = t('Social benefit (SB, the value of your outputs) {sb} · social cost (SC, the value of your inputs and emissions) {sc}, at this round\'s prices.', { sb: PC.money(sb, st.plan), sc: PC.money(sc, st.plan) });
    } else {
      const cost = value(proposal.requests);
      const budget = st.round.budget;
      if (typeof budget === 'number') {
        const ok = cost <= budget * (1 + 1e-9);
        // green up to the budget (its slack included), red beyond: the
        // colour agrees with the text, also at exactly 100%
        const limit = budget * (1 + 1e-9);
        meter.max = Math.max(limit, cost, 1e-12); meter.optimum = 0; meter.low = limit; meter.high = limit;
        meter.value = Math.min(cost, meter.max);
        meter.dataset.state = ok ? 'ok' : 'over';
        text.textContent = t('Cost {cost} of your budget {budget}', { cost: PC.money(cost, st.plan), budget: PC.money(budget, st.plan) }) +
          (budget > 0 ? ' (' + PC.pct(cost / budget) + ')' : '') +
          (ok ? t(': within budget.') : t(': over budget by {over}, the board would reject it.', { over: PC.money(cost - budget, st.plan) }));
        text.className = 'reading ' + (ok ? 'ok' : 'bad');
      } else {
        meter.value = 0;
        text.textContent = t('Cost {cost} (the budget is not known yet).', { cost: PC.money(cost, st.plan) });
        text.className = 'reading';
      }
      detail.textContent = t('Cost is the sum of price × quantity over your requests, at this round\'s prices.');
    }
  }

  function clearFieldError(inp) {
    inp.removeAttribute('aria-invalid');
    $('err-' + inp.id).textContent = '';
  }
  function clearErrors() {
    for (const inp of inputs()) clearFieldError(inp);
    for (const inp of commonsInputs()) clearFieldError(inp);
    for (const k of ['commons', 'uses']) if ($('err-' + k)) $('err-' + k).textContent = '';
    for (const s of st.sections) $('err-' + s.key).textContent = '';
    $('form-error').textContent = '';
  }

  // showVerdict puts the server's reason next to the field it names
  // (requests.bread, outputs.bread, inputs.labor, emissions.co2), or next to
  // the section or the form when it names none, and moves focus there.
  // A rejection of a whole section (a consumer over its budget: field
  // "requests"; a worker below SB/SC 1: "proposal") goes next to the
  // section, and focus goes to the quantity that weighs most in it (the
  // dearest request, the dearest input), where a change helps most.
  function showRejected(reason, field) {
    reason = PC.humanize(reason);
    const msg = t('Rejected: {why}', { why: reason });
    let target = null;
    if (field) {
      const [sec, good] = String(field).split('.');
      const inp = good ? $('q-' + String(field).split('.').join('-')) || $('q-' + sec + '-' + good) : null;
      if (inp) {
        inp.setAttribute('aria-invalid', 'true');
        $('err-' + inp.id).textContent = msg;
        target = inp;
      } else {
        const s = sec === 'proposal' ? (isWorker() ? 'inputs' : 'requests') : sec;
        if ($('err-' + s)) {
          $('err-' + s).textContent = msg;
          target = heaviest(s) || $('fs-' + s).querySelector('input');
        }
      }
    }
    if (!target) $('form-error').textContent = msg;
    PC.announce($('verdict'), t('The board rejected the proposal for round {n}: {why}. Correct it and submit again.', { n: st.round ? st.round.number : '?', why: reason + (field ? ' (' + t('at {field}', { field }) + ')' : '') }), 'err');
    if (target) target.focus();
  }
  function heaviest(sec) {
    let best = null, bv = -1;
    for (const inp of inputs()) {
      if (inp.dataset.section !== sec) continue;
      const v = Number(inp.value) * price(inp.dataset.good);
      if (isFinite(v) && v > bv) { bv = v; best = inp; }
    }
    return bv > 0 ? best : null;
  }

  function renderRound() {
    const r = st.round;
    $('round-no').textContent = r ? r.number : '—';
    for (const e of document.querySelectorAll('.round-ref')) e.textContent = r ? r.number : '—';
    const open = r && r.status === 'open' && (!st.plan || !st.plan.status || st.plan.status === 'open');
    const rs = $('round-status');
    rs.textContent = r ? (st.plan && st.plan.status && st.plan.status !== 'open' ? t('plan ' + st.plan.status) : t('round ' + (r.status || '?'))) : '—';
    rs.className = 'chip ' + (open ? 'yes' : 'no');
    $('deadline').textContent = open ? PC.countdown(r.deadline) : '';
    $('submit').disabled = !open;
    const b = $('budget-line');
    b.hidden = isWorker() || !r || typeof r.budget !== 'number';
    if (r && typeof r.budget === 'number') {
      st.budgets.set(r.number, r.budget);
      $('budget').textContent = PC.money(r.budget, st.plan);
      if ($('budget-change')) $('budget-change').textContent = budgetChange(r.number, r.budget);
    }
    const goods = st.plan ? st.plan.goods || [] : [];
    const u = PC.unitOf(st.plan);
    $('prices').tBodies[0].replaceChildren(...goods.map((g) => h('tr', null,
      h('th', { scope: 'row' }, PC.goodName(g), g.unit ? h('span', { class: 'muted' }, ' ' + t('per {unit}', { unit: g.unit })) : null),
      h('td', null, g.rival === false ? t('commons: free to use') : t(KINDS[g.kind] || g.kind || '')),
      h('td', { class: 'num' }, num(price(g.id)), u.many ? h('span', { class: 'unit' }, ' ' + u.many) : null, g.rival === false ? h('span', { class: 'muted' }, ' ' + t('paid to its makers')) : null))));
    renderCommons();
    for (const s of document.querySelectorAll('#fields .p')) s.textContent = num(price(s.dataset.good));
    update();
  }

  const KINDS = { produced: 'made by a workplace', labor: 'labour', resource: 'natural resource', pollutant: 'pollution allowance' };

  // budgetChange says how this round's budget compares with the last
  // one this page saw, and why budgets move.
  function budgetChange(n, b) {
    const prev = st.budgets.get(n - 1);
    if (n === 0) return t('Round 0: the pool has no workplaces\' surplus yet, so later budgets are usually larger.');
    if (typeof prev !== 'number' || !(prev > 0)) return t('Budgets change from round to round with the prices and with the workplaces\' surplus of the round before.');
    const d = (b - prev) / prev;
    if (Math.abs(d) < 1e-4) return t('The same as in round {m}.', { m: n - 1 });
    return t('{dir} {p} from round {m} ({prev}): the pool is valued at the new prices, and includes the surplus the workplaces made in round {m}.',
      { dir: d > 0 ? t('Up') : t('Down'), p: PC.pct(Math.abs(d)), m: n - 1, prev: PC.money(prev, st.plan) });
  }

  function summary(pr) {
    const parts = [];
    for (const [sec, m] of Object.entries(pr || {})) {
      if (sec === 'commons') { parts.push(t('commons vote: {share} of income', { share: PC.pct((m || {}).share) })); continue; }
      const items = Object.entries(m || {}).filter(([, q]) => q !== 0).map(([g, q]) => PC.shortName((st.plan.goods || []).find((x) => x.id === g) || { id: g }) + ' ' + num(q));
      if (items.length) parts.push(sec + ': ' + items.join(', '));
    }
    return parts.join('; ') || t('nothing (all zero)');
  }

  async function loadProposals() {
    const tbody = $('mine').tBodies[0];
    try {
      const data = await api('/api/plans/' + encodeURIComponent(P.plan) + '/proposals', { token: P.token });
      const rows = data.proposals.slice();
      rows.sort((a, b) => (b.round - a.round) || String(b.at).localeCompare(String(a.at)));
      st.proposals = rows;
      if (!rows.length) { tbody.replaceChildren(h('tr', null, h('td', { colspan: 5 }, t('No proposals yet.')))); return; }
      tbody.replaceChildren(...rows.map((p) => {
        const accepted = p.status === 'accepted';
        const standin = p.source === 'standin';
        let measure = '—';
        if (typeof p.sbsc === 'number') measure = 'SB/SC ' + num(p.sbsc);
        else if (typeof p.cost === 'number') measure = num(p.cost) + (typeof p.budget === 'number' ? ' / ' + num(p.budget) : '');
        return h('tr', { class: standin ? 'standin' : null },
          h('td', { class: 'num' }, p.round),
          h('td', null, standin
            ? h('span', { class: 'chip standin', title: t('Your council missed the deadline; its model answered for it.') }, t('stand-in: made by the model'))
            : h('span', { class: 'chip ' + (accepted ? 'yes' : 'rejected') }, t(p.status))),
          h('td', null, p.proposal ? summary(p.proposal) : (p.size ? t('{n} bytes, not kept', { n: p.size }) : '')),
          h('td', { class: 'num' }, measure),
          h('td', null, standin ? t('No proposal by the deadline: the council\'s model answered for it.') : (p.reason ? PC.humanize(p.reason) + (p.field ? ' (' + t('at {field}', { field: p.field }) + ')' : '') : '')));
      }));
      prefill();
    } catch (e) {
      tbody.replaceChildren(h('tr', null, h('td', { colspan: 5 }, t('Could not load your proposals: {why}', { why: e.message }))));
    }
  }

  // prefill puts the last accepted proposal in an untouched form, so that a
  // council can resubmit it at the new prices with small changes.
  // Only the council's own proposals fill it, never a stand-in's (its
  // model's, made at a deadline the council missed).
  function prefill() {
    if (st.touched || !st.sections.length) return;
    if (inputs().some((i) => i.value !== '')) return;
    const last = st.proposals.find((p) => p.status === 'accepted' && p.source !== 'standin' && p.proposal);
    if (last) fill(last.proposal);
  }
  function fill(pr) {
    for (const inp of inputs()) {
      const m = (pr || {})[inp.dataset.section] || {};
      inp.value = m[inp.dataset.good] !== undefined ? String(PC.qty(m[inp.dataset.good])) : '';
    }
    fillCommons(pr);
    update();
  }

  // openedNotice is what a council reads when round n opens, with a word
  // on its stand-in if its model answered for it in the round before.
  function openedNotice(n) {
    return t('Round {n} is open with new prices: check your proposal at these prices and submit it for round {n}.', { n }) +
      (st.stoodIn === n - 1 ? ' ' + t('Your council had not submitted in round {m}, so its model answered for it (a stand-in).', { m: n - 1 }) : '');
  }

  function onFrame(f) {
    switch (f.type) {
      case 'snapshot': {
        st.role = f.role;
        if (f.role !== 'council' && f.role !== 'federation') {
          PC.announce(errors, t('This link is for a {role}, not a council: open the {role} page instead.', { role: t(f.role) }), 'err');
        }
        st.councilId = f.councilId || '';
        st.plan = f.plan;
        // the council's own header (with its output good, if the scenario
        // names one): plan.council, on a council's connection only
        st.council = f.plan.council || { id: st.councilId, type: 'consumer' };
        st.round = f.round; // {number, status, prices, budget?, submitted, deadline, own?}
        $('who').textContent = isFederation() ? t('federation {name}', { name: st.council.name || st.councilId })
          : isWorker() ? t('workplace (worker council) {id}', { id: st.councilId }) : t('neighbourhood (consumer council) {id}', { id: st.councilId });
        PC.setTolerance(st.plan.tolerance);
        document.title = 'parecon — ' + (isFederation() ? t('federation') : t('council')) + ' ' + st.councilId + ' — ' + (st.plan.name || st.plan.id);
        $('plan-line').textContent = t('Plan {name} ({id})', { name: st.plan.name || '', id: st.plan.id }) +
          (isWorker() && st.council.output ? ' · ' + t('you make {good}', { good: PC.shortName((st.plan.goods || []).find((g) => g.id === st.council.output) || { id: st.council.output }) }) : '');
        $('numeraire-line').textContent = st.plan.numeraire ? t('Prices are in {unit}: the numéraire, {id}, always costs 1.', { unit: PC.unitOf(st.plan).many || st.plan.numeraire, id: st.plan.numeraire }) : '';
        build();
        if ($('new-good-panel')) $('new-good-panel').hidden = !isWorker(); // not on a federation's page
        // the standing proposal of this round, if the council made it,
        // fills an untouched form; a stand-in's never does
        st.ownStandIn = !!(f.round.own && f.round.own.standin);
        if (f.round.own && !f.round.own.standin && !st.touched) fill(f.round.own.proposal);
        setHidden('standin-note', !st.ownStandIn);
        renderRound();
        loadProposals();
        if (f.lastRound) loadProof(f.lastRound.round);
        break;
      }
      case 'round.opened':
        // new goods join the catalogue (and the form) from this round
        if (PC.addNewGoods(st.plan, f)) build();
        // round.opened's round is the new round's number
        st.round = { number: f.round, status: 'open', prices: f.prices, budget: f.budget, deadline: f.deadline, submitted: [],
          levy: f.levy, fund: f.fund, commons: f.commons };
        renderRound();
        clearErrors();
        // the last round's verdict is no longer true of this one
        $('verdict').textContent = '';
        $('verdict').className = 'notice';
        PC.announce($('round-notice'), openedNotice(f.round), st.stoodIn === f.round - 1 ? 'warn' : 'info');
        loadProposals();
        break;
      case 'round.closed': {
        document.dispatchEvent(new CustomEvent('pc:round.closed', { detail: f }));
        if (st.round && st.round.number === f.round) st.round.status = 'closed';
        const mine = (f.standins || []).includes(st.councilId);
        if (mine) { st.stoodIn = f.round; setHidden('standin-note', false); }
        renderRound();
        if (st.round && st.round.number === f.round + 1) {
          // the next round opened first: its notice, with the stand-in's
          PC.announce($('round-notice'), openedNotice(st.round.number), mine ? 'warn' : 'info');
        } else {
          PC.announce($('round-notice'), t('Round {n} closed ({why}).', { n: f.round, why: t(f.reason) }) +
            (mine ? ' ' + t('Your council had not submitted, so its model answered for it (a stand-in).') : ''), mine ? 'warn' : 'info');
        }
        $('verdict').textContent = '';
        loadProposals();
        loadProof(f.round);
        break;
      }
      case 'settings.changed':
        if (st.round && f.round === st.round.number) st.round.deadline = f.deadline;
        renderRound();
        PC.announce($('round-notice'), f.deadline ? t('The facilitator set the round deadline: {when}.', { when: PC.countdown(f.deadline) }) : t('The facilitator removed the round deadline: the round closes when every human council has submitted.'), 'info');
        break;
      case 'plan.converged':
        if (st.plan) st.plan.status = 'converged';
        renderRound();
        $('verdict').textContent = '';
        PC.announce($('round-notice'), t('The plan has converged in round {n}: supply meets demand for every good. Thank you.', { n: f.round }), 'ok');
        break;
      case 'plan.stopped':
        if (st.plan) st.plan.status = 'stopped';
        renderRound();
        $('verdict').textContent = '';
        PC.announce($('round-notice'), t('The plan was stopped in round {n}: {why}.', { n: f.round, why: PC.humanize(f.reason) }), 'warn');
        break;
      case 'proposal.accepted': {
        st.pending.delete(f.ref);
        setHidden('standin-note', true);
        clearErrors();
        let m = '';
        if (typeof f.sbsc === 'number') m = ' SB/SC ' + num(f.sbsc) + '.';
        else if (typeof f.cost === 'number') m = ' ' + t('Cost {cost}', { cost: PC.money(f.cost, st.plan) }) + (typeof f.budget === 'number' ? ' ' + t('of budget {b}', { b: PC.money(f.budget, st.plan) }) : '') + '.';
        PC.announce($('verdict'), t('Accepted for round {n}.', { n: f.round }) + m + ' ' + t('You may resubmit to replace it while round {n} is open.', { n: f.round }), 'ok');
        $('submit').disabled = !(st.round && st.round.status === 'open');
        loadProposals();
        break;
      }
      case 'proposal.rejected':
        st.pending.delete(f.ref);
        clearErrors();
        showRejected(f.reason, f.field);
        $('submit').disabled = !(st.round && st.round.status === 'open');
        loadProposals();
        break;
      case 'good.accepted':
        PC.announce($('ng-result'), t('Accepted: {good} joins the catalogue in round {n} at {price}; your proposal to make it stands from then.', { good: PC.goodName(f.good), n: f.opensAt, price: num(f.good.price) }), 'ok');
        break;
      case 'good.rejected':
        PC.announce($('ng-result'), t('Not added: {why}', { why: PC.humanize(f.reason) + (f.field ? ' (' + f.field + ')' : '') }), 'err');
        break;
      case 'error':
        if (f.ref && f.ref.startsWith('ng-')) PC.announce($('ng-result'), t('The server refused it: {why}', { why: PC.humanize(f.message) }), 'err');
        if (f.ref) st.pending.delete(f.ref);
        $('form-error').textContent = t('The server refused the message: {why}', { why: PC.humanize(f.message) });
        $('submit').disabled = !(st.round && st.round.status === 'open');
        break;
      default:
        break;
    }
  }

  $('proposal').addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearErrors();
    const { proposal, problems } = read();
    readCommons(proposal, problems);
    if (problems.length) {
      for (const [inp, why] of problems) {
        inp.setAttribute('aria-invalid', 'true');
        $('err-' + inp.id).textContent = why;
      }
      PC.announce($('verdict'), t('Fix the marked quantities first: {list}.', { list: problems.map(([i, w]) => i.name + ': ' + w).join('; ') }), 'err');
      problems[0][0].focus();
      return;
    }
    try {
      const ref = ws.send({ type: 'proposal.submit', round: st.round.number, proposal });
      st.pending.set(ref, true);
      $('submit').disabled = true;
      PC.announce($('verdict'), t('Sent; waiting for the board\'s check…'), 'info');
      // never leave the button disabled if no answer comes
      setTimeout(() => { if (st.pending.has(ref)) { st.pending.delete(ref); renderRound(); PC.announce($('verdict'), t('No answer from the server yet; check your proposals below or submit again.'), 'warn'); } }, 15000);
    } catch (e) {
      $('form-error').textContent = e.message;
    }
  });
  $('clear').addEventListener('click', () => {
    for (const inp of inputs()) inp.value = '';
    st.touched = true;
    clearErrors();
    update();
  });

  // A worker council may put a new good into the catalogue with its
  // proposal to make it (good.propose; docs/new-goods.md).
  if ($('new-good')) $('new-good').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const id = $('ng-id').value.trim();
    const y = Number($('ng-qty').value);
    const inputs = {};
    const bad = [];
    for (const part of $('ng-inputs').value.split(',').map((x) => x.trim()).filter(Boolean)) {
      const [g, q] = part.split('=').map((x) => x.trim());
      if (!g || !(Number(q) >= 0)) bad.push(part); else inputs[g] = Number(q);
    }
    if (!id || !(y > 0) || bad.length) {
      const why = !id ? t('Give the new good an id.') : !(y > 0) ? t('Say how much of it you would make (more than 0).') : t('Write inputs as good=quantity, separated by commas: {bad}', { bad: bad.join('; ') });
      PC.announce($('ng-result'), why, 'err');
      return;
    }
    const frame = { type: 'good.propose', good: { id, rival: !$('ng-commons').checked }, proposal: { outputs: { [id]: y }, inputs } };
    if ($('ng-name').value.trim()) frame.good.name = $('ng-name').value.trim();
    if ($('ng-unit').value.trim()) frame.good.unit = $('ng-unit').value.trim();
    if (Number($('ng-price').value) > 0) frame.price = Number($('ng-price').value);
    try {
      frame.ref = 'ng-' + id + '-' + Date.now();
      ws.send(frame);
      PC.announce($('ng-result'), t('Sent; waiting for the board\'s check…'), 'info');
    } catch (e) {
      PC.announce($('ng-result'), e.message, 'err');
    }
  });

  setInterval(() => { if (st.round && st.round.status === 'open' && (!st.plan || st.plan.status === 'open')) $('deadline').textContent = PC.countdown(st.round.deadline); }, 1000);

  ws = PC.live({
    plan: P.plan, token: P.token, onFrame,
    onState: (s) => PC.setConn($('conn'), s),
    onGiveUp: async () => {
      try { await api('/api/plans/' + encodeURIComponent(P.plan) + '/proposals', { token: P.token }); return false; } catch (e) {
        if (e.status === 401 || e.status === 403 || e.status === 404) {
          PC.announce(errors, t('The server refused this link ({why}). Check that you opened your council\'s own link.', { why: e.message }), 'err');
          $('conn').textContent = t('refused');
          return true;
        }
        return false;
      }
    },
  });
})();
