// The federation page's own parts: where its collective budget comes from
// (its levy on its consumer councils' incomes), from its roll-up; the
// proposal form is council.js's, for the federation's collective requests.
'use strict';
(() => {
  const { num, t } = PC;
  document.addEventListener('pc:federations', (ev) => {
    const d = ev.detail;
    // A federation's token sees its own subtree: it comes first.
    const me = d.federations[0];
    if (!me || d.round === null || me.folded || typeof me.levy !== 'number') return;
    const income = me.levy > 0 ? me.budget / me.levy : 0;
    document.getElementById('origin').textContent = t('In round {n} your collective budget was {budget}: your levy of {levy} on the income of the consumer councils in {name} and the federations below it ({income} before levies; {councils} councils in all). Each of them pays its share through its own budget, which is smaller by the levies of every federation it belongs to.', {
      n: d.round, budget: num(me.budget), levy: PC.pct(me.levy), name: me.name || me.id, income: num(income), councils: me.councils || 0,
    });
  });
})();
