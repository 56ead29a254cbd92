// Measurements of a reading view, run inside the page by tests/export/test_html.py.
window.teiCableChecks = {
  // WCAG contrast ratio of every visible piece of text against its effective background
  contrast() {
    const parse = c => {
      const m = c.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const p = m[1].split(',').map(parseFloat);
      return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
    };
    const lum = ({r, g, b}) => {
      const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const back = el => {
      for (; el; el = el.parentElement) {
        const c = parse(getComputedStyle(el).backgroundColor);
        if (c && c.a > 0) return c;
      }
      return {r: 255, g: 255, b: 255, a: 1};
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const bad = [];
    let checked = 0, node;
    while ((node = walker.nextNode())) {
      if (!node.textContent.trim()) continue;
      const el = node.parentElement;
      if (!el.checkVisibility()) continue;
      const fg = lum(parse(getComputedStyle(el).color)), bg = lum(back(el));
      const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
      checked++;
      if (ratio < 4.5) bad.push([el.tagName, el.className, node.textContent.slice(0, 30), ratio.toFixed(2)]);
    }
    return {checked, bad};
  },
  // how each nested letter stands out from the letter quoting it
  nesting() {
    return [...document.querySelectorAll('article.nested')].map(a => {
      const outer = a.parentElement.closest('article');
      const cs = getComputedStyle(a);
      return {
        id: a.id,
        indent: a.getBoundingClientRect().left - outer.getBoundingClientRect().left,
        border: parseFloat(cs.borderLeftWidth),
        background: cs.backgroundColor,
        outerBackground: getComputedStyle(outer).backgroundColor,
        visible: a.checkVisibility(),
      };
    });
  },
  headings() {
    return [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1]);
  },
  // [original reading visible, corrected reading visible] for the first correction
  readings() {
    const s = document.querySelector('.reading-sic'), c = document.querySelector('.reading-corr');
    return [s.checkVisibility(), c.checkVisibility()];
  },
};
true;
