// The federation page's own parts: where its collective budget comes from
// (its levy on its consumer councils' incomes), from its roll-up; the
// proposal form is council.js's, for the federation's collective requests.
'use strict';
(() => {
  const { num } = PC;
  document.addEventListener('pc:federations', (ev) => {
    const d = ev.detail;
    // A federation's token sees its own subtree: it comes first.
    const me = d.federations[0];
    if (!me || d.round === null || me.folded || typeof me.levy !== 'number') return;
    const income = me.levy > 0 ? me.budget / me.levy : 0;
    document.getElementById('origin').textContent =
      'In round ' + d.round + ' your collective budget was ' + num(me.budget) + ': your levy of ' + PC.pct(me.levy) +
      ' on the income of the consumer councils in ' + (me.name || me.id) + ' and the federations below it (' + num(income) +
      ' before levies; ' + (me.councils || 0) + ' councils in all). Each of them pays its share through its own budget, ' +
      'which is smaller by the levies of every federation it belongs to.';
  });
})();
