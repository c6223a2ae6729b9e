// The council page: the open round, its prices, the council's budget or
// SB/SC as it types, submitting over the websocket, the verdict next to the
// field it names, and the council's own proposals round by round.
'use strict';
(() => {
  const { api, h, num } = PC;
  const P = PC.params();
  const $ = (id) => document.getElementById(id);
  const errors = $('errors');
  if (!PC.requireParams(P, errors)) { $('conn').textContent = 'no link'; return; }

  const st = {
    role: '', councilId: '', plan: null, council: null,
    round: null, goods: new Map(), sections: [], built: '', touched: false, pending: new Map(),
    proposals: [],
  };
  let ws = null;

  const SECTIONS = {
    worker: [
      { key: 'outputs', title: 'Outputs: what you will make', kinds: ['produced'] },
      { key: 'inputs', title: 'Inputs: labour, resources and goods you will use', kinds: ['labor', 'resource', 'produced'] },
      { key: 'emissions', title: 'Emissions', kinds: ['pollutant'] },
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
      h('label', { for: 'filter' }, 'Show only goods matching'),
      h('input', { type: 'text', id: 'filter', autocomplete: 'off', 'aria-describedby': 'filter-help' }),
      h('span', { id: 'filter-help', class: 'muted' }, 'Goods with a quantity always show.')) : null;
    if (filter) filter.querySelector('input').addEventListener('input', (ev) => applyFilter(ev.target.value));
    fields.replaceChildren(...(filter ? [filter] : []), ...st.sections.map((s) => {
      const fs = h('fieldset', { id: 'fs-' + s.key },
        h('legend', null, s.title),
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
            h('span', { class: 'hint', id: 'hint-' + id }, (g.unit ? g.unit + ' · ' : '') + 'price ', h('span', { class: 'p', 'data-good': g.id }, '—'))),
          input,
          h('span', { class: 'value', id: 'val-' + id, 'aria-hidden': 'true' }),
          h('span', { class: 'field-error', id: 'err-' + id, 'aria-live': 'assertive' })));
      }
      return fs;
    }));
    $('mine-measure').textContent = isWorker() ? 'SB/SC' : 'Cost / budget';
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
    if (isWorker() || !cg.length) { box.replaceChildren(); return; }
    box.replaceChildren(
      h('fieldset', { id: 'fs-commons' }, h('legend', null, 'Your vote for the commons fund (leave empty to abstain)'),
        h('div', { class: 'field-error', id: 'err-commons', 'aria-live': 'assertive' }),
        numberField('commons.share', 'Share of the plan\'s income for the commons, in %', 'from 0 to under 100', { max: '99.999' }),
        ...(cg.length > 1 ? cg.map((g) => numberField('commons.weights.' + g.id, 'Part of the fund for ' + PC.goodName(g) + ', in %',
          'the parts add up to 100; leave all empty for equal parts')) : [])),
      h('fieldset', { id: 'fs-uses' }, h('legend', null, 'Commons your members use (free, never limited; for the record)'),
        h('div', { class: 'field-error', id: 'err-uses', 'aria-live': 'assertive' }),
        ...cg.map((g) => numberField('uses.' + g.id, 'Members who use ' + PC.goodName(g), 'people'))));
  }
  // readCommons adds the vote and uses in the form to proposal.
  function readCommons(proposal, problems) {
    const weights = {};
    for (const inp of commonsInputs()) {
      const v = inp.value.trim();
      if (v === '') { if (inp.validity && inp.validity.badInput) problems.push([inp, 'not a number']); continue; }
      const n = Number(v);
      if (!isFinite(n)) { problems.push([inp, 'not a finite number']); continue; }
      const [sec, a, b] = inp.name.split('.');
      if (sec === 'uses') (proposal.uses = proposal.uses || {})[a] = n;
      else if (a === 'share') (proposal.commons = proposal.commons || {}).share = n / 100;
      else weights[b] = n / 100;
    }
    if (Object.keys(weights).length) {
      if (!proposal.commons) problems.push([$('q-commons-share'), 'needed with a split: your share for the commons']);
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
    $('commons-panel').hidden = !cg.length;
    if (!cg.length) return;
    $('commons-line').textContent = typeof r.levy === 'number'
      ? 'This round the levy is ' + PC.pct(r.levy) + ' of the plan\'s income: a fund of ' + num(r.fund) + '.' : '';
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
        if (inp.validity && inp.validity.badInput) problems.push([inp, 'not a number']);
        continue;
      }
      const n = Number(v);
      if (!isFinite(n)) { problems.push([inp, 'not a finite number']); continue; }
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
      v.textContent = inp.value.trim() !== '' && isFinite(q) ? '= ' + num(q * price(inp.dataset.good)) : '';
    }
    const { proposal } = read();
    const meter = $('meter'), text = $('meter-text'), detail = $('meter-detail');
    if (isWorker()) {
      const sb = value(proposal.outputs);
      const sc = value(proposal.inputs) + value(proposal.emissions);
      let ratio, msg, ok;
      if (sb === 0 && sc === 0) { ratio = 0; ok = true; msg = 'Nothing proposed yet: an all-zero proposal passes.'; }
      else if (sc === 0) { ratio = Infinity; ok = true; msg = 'SB/SC: no social cost, passes.'; }
      else {
        ratio = sb / sc;
        ok = ratio >= 1 - 1e-9;
        msg = 'SB/SC ' + num(ratio) + (ok ? ': passes (at least 1).' : ': below 1, the board would reject it.');
      }
      meter.max = 2; meter.low = 1; meter.high = 1.5; meter.optimum = 2;
      meter.value = isFinite(ratio) ? Math.min(ratio, 2) : 2;
      text.textContent = msg;
      text.className = 'reading ' + (ok ? 'ok' : 'bad');
      detail.textContent = 'Social benefit (outputs) ' + num(sb) + ' · social cost (inputs and emissions) ' + num(sc) + ', at this round\'s prices.';
    } else {
      const cost = value(proposal.requests);
      const budget = st.round.budget;
      if (typeof budget === 'number') {
        const ok = cost <= budget * (1 + 1e-9);
        meter.max = Math.max(budget, cost, 1e-12); meter.low = budget * 0.9; meter.high = budget; meter.optimum = 0;
        meter.value = cost;
        text.textContent = 'Cost ' + num(cost) + ' of your budget ' + num(budget) +
          (budget > 0 ? ' (' + PC.pct(cost / budget) + ')' : '') +
          (ok ? ': within budget.' : ': over budget by ' + num(cost - budget) + ', the board would reject it.');
        text.className = 'reading ' + (ok ? 'ok' : 'bad');
      } else {
        meter.value = 0;
        text.textContent = 'Cost ' + num(cost) + ' (the budget is not known yet).';
        text.className = 'reading';
      }
      detail.textContent = 'Cost is the sum of price × quantity over your requests, at this round\'s prices.';
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
  function showRejected(reason, field) {
    const msg = 'Rejected: ' + reason;
    let target = null;
    if (field) {
      const [sec, good] = String(field).split('.');
      const inp = good ? $('q-' + String(field).split('.').join('-')) || $('q-' + sec + '-' + good) : null;
      if (inp) {
        inp.setAttribute('aria-invalid', 'true');
        $('err-' + inp.id).textContent = msg;
        target = inp;
      } else if ($('err-' + sec)) {
        $('err-' + sec).textContent = msg;
        target = $('fs-' + sec).querySelector('input');
      }
    }
    if (!target) $('form-error').textContent = msg;
    PC.announce($('verdict'), 'The board rejected the proposal for round ' + (st.round ? st.round.number : '?') +
      ': ' + reason + (field ? ' (at ' + field + ')' : '') + '. Correct it and submit again.', 'err');
    if (target) target.focus();
  }

  function renderRound() {
    const r = st.round;
    $('round-no').textContent = r ? r.number : '—';
    for (const e of document.querySelectorAll('.round-ref')) e.textContent = r ? r.number : '—';
    const open = r && r.status === 'open' && (!st.plan || !st.plan.status || st.plan.status === 'open');
    const rs = $('round-status');
    rs.textContent = r ? (st.plan && st.plan.status && st.plan.status !== 'open' ? 'plan ' + st.plan.status : (r.status || '?')) : '—';
    rs.className = 'chip ' + (open ? 'yes' : 'no');
    $('deadline').textContent = r ? PC.countdown(r.deadline) : '';
    $('submit').disabled = !open;
    const b = $('budget-line');
    b.hidden = isWorker() || !r || typeof r.budget !== 'number';
    if (r && typeof r.budget === 'number') $('budget').textContent = num(r.budget);
    const goods = st.plan ? st.plan.goods || [] : [];
    $('prices').tBodies[0].replaceChildren(...goods.map((g) => h('tr', null,
      h('th', { scope: 'row' }, PC.goodName(g), g.unit ? h('span', { class: 'muted' }, ' per ' + g.unit) : null),
      h('td', null, g.rival === false ? 'commons: free to use' : g.kind || ''),
      h('td', { class: 'num' }, num(price(g.id)), g.rival === false ? h('span', { class: 'muted' }, ' paid to its makers') : null))));
    renderCommons();
    for (const s of document.querySelectorAll('#fields .p')) s.textContent = num(price(s.dataset.good));
    update();
  }

  function summary(pr) {
    const parts = [];
    for (const [sec, m] of Object.entries(pr || {})) {
      if (sec === 'commons') { parts.push('commons vote: ' + PC.pct((m || {}).share) + ' of income'); continue; }
      const items = Object.entries(m || {}).filter(([, q]) => q !== 0).map(([g, q]) => g + ' ' + num(q));
      if (items.length) parts.push(sec + ': ' + items.join(', '));
    }
    return parts.join('; ') || 'nothing (all zero)';
  }

  async function loadProposals() {
    const tbody = $('mine').tBodies[0];
    try {
      const data = await api('/api/plans/' + encodeURIComponent(P.plan) + '/proposals', { token: P.token });
      const rows = data.proposals.slice();
      rows.sort((a, b) => (b.round - a.round) || String(b.at).localeCompare(String(a.at)));
      st.proposals = rows;
      if (!rows.length) { tbody.replaceChildren(h('tr', null, h('td', { colspan: 5 }, 'No proposals yet.'))); return; }
      tbody.replaceChildren(...rows.map((p) => {
        const accepted = p.status === 'accepted';
        let measure = '—';
        if (typeof p.sbsc === 'number') measure = 'SB/SC ' + num(p.sbsc);
        else if (typeof p.cost === 'number') measure = num(p.cost) + (typeof p.budget === 'number' ? ' / ' + num(p.budget) : '');
        return h('tr', null,
          h('td', { class: 'num' }, p.round),
          h('td', null, h('span', { class: 'chip ' + (accepted ? 'yes' : 'rejected') }, p.status)),
          h('td', null, p.proposal ? summary(p.proposal) : (p.size ? p.size + ' bytes, not kept' : '')),
          h('td', { class: 'num' }, measure),
          h('td', null, p.reason ? p.reason + (p.field ? ' (at ' + p.field + ')' : '') : ''));
      }));
      prefill();
    } catch (e) {
      tbody.replaceChildren(h('tr', null, h('td', { colspan: 5 }, 'Could not load your proposals: ' + e.message)));
    }
  }

  // prefill puts the last accepted proposal in an untouched form, so that a
  // council can resubmit it at the new prices with small changes.
  function prefill() {
    if (st.touched || !st.sections.length) return;
    if (inputs().some((i) => i.value !== '')) return;
    const last = st.proposals.find((p) => p.status === 'accepted');
    if (last) fill(last.proposal);
  }
  function fill(pr) {
    for (const inp of inputs()) {
      const m = (pr || {})[inp.dataset.section] || {};
      inp.value = m[inp.dataset.good] !== undefined ? m[inp.dataset.good] : '';
    }
    fillCommons(pr);
    update();
  }

  function onFrame(f) {
    switch (f.type) {
      case 'snapshot': {
        st.role = f.role;
        if (f.role !== 'council' && f.role !== 'federation') {
          PC.announce(errors, 'This link is for a ' + f.role + ', not a council: open the ' + f.role + ' page instead.', 'err');
        }
        st.councilId = f.councilId || '';
        st.plan = f.plan;
        // the council's own header (with its output good, if the scenario
        // names one): plan.council, on a council's connection only
        st.council = f.plan.council || { id: st.councilId, type: 'consumer' };
        st.round = f.round; // {number, status, prices, budget?, submitted, deadline, own?}
        $('who').textContent = isFederation() ? 'federation ' + (st.council.name || st.councilId)
          : (isWorker() ? 'worker' : 'consumer') + ' council ' + st.councilId;
        document.title = 'parecon — ' + (isFederation() ? 'federation ' : 'council ') + st.councilId + ' — ' + (st.plan.name || st.plan.id);
        $('plan-line').textContent = 'Plan ' + (st.plan.name || '') + ' (' + st.plan.id + ')' +
          (isWorker() && st.council.output ? ' · you make ' + st.council.output : '');
        $('numeraire-line').textContent = st.plan.numeraire ? 'Prices are relative to ' + st.plan.numeraire + ', whose price stays 1.' : '';
        build();
        $('new-good-panel').hidden = !isWorker();
        // the standing proposal of this round, if any, fills an untouched form
        if (f.round.own && !st.touched) fill(f.round.own.proposal);
        renderRound();
        loadProposals();
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
        PC.announce($('round-notice'), 'Round ' + f.round + ' is open with new prices: check your proposal at these prices and submit it for round ' + f.round + '.', 'info');
        loadProposals();
        break;
      case 'round.closed':
        document.dispatchEvent(new CustomEvent('pc:round.closed', { detail: f }));
        if (st.round && st.round.number === f.round) st.round.status = 'closed';
        renderRound();
        PC.announce($('round-notice'), 'Round ' + f.round + ' closed (' + f.reason + ').', 'info');
        loadProposals();
        break;
      case 'settings.changed':
        if (st.round && f.round === st.round.number) st.round.deadline = f.deadline;
        renderRound();
        PC.announce($('round-notice'), 'The facilitator set the round deadline: ' + PC.countdown(f.deadline) + '.', 'info');
        break;
      case 'plan.converged':
        if (st.plan) st.plan.status = 'converged';
        renderRound();
        PC.announce($('round-notice'), 'The plan has converged in round ' + f.round + '. Thank you.', 'ok');
        break;
      case 'plan.stopped':
        if (st.plan) st.plan.status = 'stopped';
        renderRound();
        PC.announce($('round-notice'), 'The plan was stopped in round ' + f.round + ': ' + f.reason + '.', 'warn');
        break;
      case 'proposal.accepted': {
        st.pending.delete(f.ref);
        clearErrors();
        let m = '';
        if (typeof f.sbsc === 'number') m = ' SB/SC ' + num(f.sbsc) + '.';
        else if (typeof f.cost === 'number') m = ' Cost ' + num(f.cost) + (typeof f.budget === 'number' ? ' of budget ' + num(f.budget) : '') + '.';
        PC.announce($('verdict'), 'Accepted for round ' + f.round + '.' + m + ' You may resubmit to replace it while round ' + f.round + ' is open.', 'ok');
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
        PC.announce($('ng-result'), 'Accepted: ' + PC.goodName(f.good) + ' joins the catalogue in round ' + f.opensAt + ' at ' + num(f.good.price) + '; your proposal to make it stands from then.', 'ok');
        break;
      case 'good.rejected':
        PC.announce($('ng-result'), 'Not added: ' + f.reason + (f.field ? ' (' + f.field + ')' : ''), 'err');
        break;
      case 'error':
        if (f.ref && f.ref.startsWith('ng-')) PC.announce($('ng-result'), 'The server refused it: ' + f.message, 'err');
        if (f.ref) st.pending.delete(f.ref);
        $('form-error').textContent = 'The server refused the message: ' + f.message;
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
      PC.announce($('verdict'), 'Fix the marked quantities first: ' + problems.map(([i, w]) => i.name + ' is ' + w).join('; ') + '.', 'err');
      problems[0][0].focus();
      return;
    }
    try {
      const ref = ws.send({ type: 'proposal.submit', round: st.round.number, proposal });
      st.pending.set(ref, true);
      $('submit').disabled = true;
      PC.announce($('verdict'), 'Sent; waiting for the board\'s check…', 'info');
      // never leave the button disabled if no answer comes
      setTimeout(() => { if (st.pending.has(ref)) { st.pending.delete(ref); renderRound(); PC.announce($('verdict'), 'No answer from the server yet; check your proposals below or submit again.', 'warn'); } }, 15000);
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
  $('new-good').addEventListener('submit', (ev) => {
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
      PC.announce($('ng-result'), !id ? 'Give the new good an id.' : !(y > 0) ? 'Say how much of it you would make (more than 0).' : 'Write inputs as good=quantity, separated by commas: ' + bad.join('; '), 'err');
      return;
    }
    const frame = { type: 'good.propose', good: { id, rival: !$('ng-commons').checked }, proposal: { outputs: { [id]: y }, inputs } };
    if ($('ng-name').value.trim()) frame.good.name = $('ng-name').value.trim();
    if ($('ng-unit').value.trim()) frame.good.unit = $('ng-unit').value.trim();
    if (Number($('ng-price').value) > 0) frame.price = Number($('ng-price').value);
    try {
      frame.ref = 'ng-' + id + '-' + Date.now();
      ws.send(frame);
      PC.announce($('ng-result'), 'Sent; waiting for the board\'s check…', 'info');
    } catch (e) {
      PC.announce($('ng-result'), e.message, 'err');
    }
  });

  setInterval(() => { if (st.round) $('deadline').textContent = PC.countdown(st.round.deadline); }, 1000);

  ws = PC.live({
    plan: P.plan, token: P.token, onFrame,
    onState: (s) => PC.setConn($('conn'), s),
    onGiveUp: async () => {
      try { await api('/api/plans/' + encodeURIComponent(P.plan) + '/proposals', { token: P.token }); return false; } catch (e) {
        if (e.status === 401 || e.status === 403 || e.status === 404) {
          PC.announce(errors, 'The server refused this link (' + e.message + '). Check that you opened your council\'s own link.', 'err');
          $('conn').textContent = 'refused';
          return true;
        }
        return false;
      }
    },
  });
})();
