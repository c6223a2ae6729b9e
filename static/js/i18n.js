// The pages' text in more than one language, from one catalogue
// (static/js/catalogue.js): the English text is the key, each other
// language maps it to its own. The language is the one chosen with the
// switch (kept in localStorage), else ?lang=, else the browser's first
// language that has a catalogue, else English. A text with no translation
// shows in English.
'use strict';
const I18N = (() => {
  const LANGS = { en: 'English', es: 'Español' };
  function pick() {
    try {
      const saved = localStorage.getItem('parecon.lang');
      if (saved && LANGS[saved]) return saved;
    } catch (_) { /* no storage */ }
    const q = new URLSearchParams(location.search).get('lang');
    if (q && LANGS[q]) return q;
    for (const l of navigator.languages || [navigator.language || 'en']) {
      const base = String(l).toLowerCase().split('-')[0];
      if (LANGS[base]) return base;
    }
    return 'en';
  }
  let lang = pick();
  document.documentElement.lang = lang;

  // t returns the text for key in the page's language, with {name}
  // placeholders filled from vars.
  function t(key, vars) {
    const cat = (typeof CATALOGUE !== 'undefined' && CATALOGUE[lang]) || {};
    let s = lang === 'en' ? key : (cat[key] ?? key);
    if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] !== undefined ? String(vars[k]) : m));
    return s;
  }

  // translatePage replaces the static text of the page (text nodes and
  // the aria-label, title and placeholder attributes) by its translation.
  function translatePage(root = document.body) {
    if (lang === 'en') return;
    const cat = (typeof CATALOGUE !== 'undefined' && CATALOGUE[lang]) || {};
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const nodes = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
    for (const n of nodes) {
      if (n.parentElement && n.parentElement.closest('script, style, code')) continue;
      const key = n.textContent.replace(/\s+/g, ' ').trim();
      if (key && cat[key] !== undefined) {
        const lead = n.textContent.match(/^\s*/)[0], trail = n.textContent.match(/\s*$/)[0];
        n.textContent = lead + cat[key] + trail;
      }
    }
    for (const e of root.querySelectorAll('[aria-label], [title], [placeholder]')) {
      for (const a of ['aria-label', 'title', 'placeholder']) {
        const v = e.getAttribute(a);
        if (v && cat[v] !== undefined) e.setAttribute(a, cat[v]);
      }
    }
    const title = document.title.split(' — ');
    document.title = title.map((x) => (cat[x] !== undefined ? cat[x] : x)).join(' — ');
  }

  // switcher adds the language switch to the page's header.
  function switcher() {
    const header = document.querySelector('header.site');
    if (!header || document.getElementById('lang')) return;
    const label = document.createElement('label');
    label.htmlFor = 'lang';
    label.className = 'lang-label';
    label.textContent = t('Language');
    const sel = document.createElement('select');
    sel.id = 'lang';
    for (const [code, name] of Object.entries(LANGS)) {
      const o = document.createElement('option');
      o.value = code;
      o.lang = code;
      o.textContent = name;
      sel.append(o);
    }
    sel.value = lang;
    sel.addEventListener('change', () => {
      try { localStorage.setItem('parecon.lang', sel.value); } catch (_) { /* no storage */ }
      location.reload();
    });
    const box = document.createElement('span');
    box.className = 'lang';
    box.append(label, sel);
    header.append(box);
  }

  return { t, lang: () => lang, langs: () => Object.keys(LANGS), translatePage, switcher };
})();
document.addEventListener('DOMContentLoaded', () => { I18N.translatePage(); I18N.switcher(); });
