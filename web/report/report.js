// samestory's report page: a paged story list, and for the chosen story its timeline of outlets,
// its quotes, and any two members side by side with their shared passages highlighted. Stories
// are parsed and rendered only when opened (each story's data is a script element of its own), so
// a report of 10,000 stories opens about as fast as one of ten.
(function () {
  'use strict';
  const data = JSON.parse(document.getElementById('samestory-data').textContent);
  const PAGE = 50;
  let page = 0;
  let visible = data.stories;

  const $ = (id) => document.getElementById(id);
  const el = (tag, attrs, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
    }
    for (const c of children) e.append(c);
    return e;
  };
  const pct = (x) => Math.round(100 * x) + '%';

  $('overview').textContent =
    `${data.articles_total} articles, ${data.stories_total} stories` +
    (data.left_out ? ` (the ${data.stories.length} largest shown here; all are in stories.jsonl and samestory.db)` : '');

  function storyText(s) {
    const outlets = s.outlets.join(' ');
    const speakers = s.speakers.join(' ');
    return (s.h + ' ' + outlets + ' ' + speakers).toLowerCase();
  }

  function renderList() {
    const list = $('story-list');
    list.replaceChildren();
    const pages = Math.max(1, Math.ceil(visible.length / PAGE));
    page = Math.min(page, pages - 1);
    for (const s of visible.slice(page * PAGE, page * PAGE + PAGE)) {
      const li = el('li', { class: 'story', 'data-story': String(s.n) },
        el('div', { class: 'headline', text: s.h }),
        el('div', { class: 'meta', text: `${s.size} article${s.size === 1 ? '' : 's'} · ${s.outlets.length} outlet${s.outlets.length === 1 ? '' : 's'} · ${s.first || 'undated'}` }));
      li.addEventListener('click', () => { location.hash = 'story-' + s.n; });
      list.append(li);
    }
    $('page').textContent = `${page + 1} / ${pages}`;
    $('prev').disabled = page === 0;
    $('next').disabled = page + 1 >= pages;
  }

  $('prev').addEventListener('click', () => { page -= 1; renderList(); });
  $('next').addEventListener('click', () => { page += 1; renderList(); });
  $('filter').addEventListener('input', (e) => {
    const q = e.target.value.trim().toLowerCase();
    visible = q ? data.stories.filter((s) => storyText(s).includes(q)) : data.stories;
    page = 0;
    renderList();
  });

  // Splits text at every range boundary and wraps each piece in the classes covering it.
  function highlighted(text, layers) {
    const cuts = new Set([0, text.length]);
    for (const layer of layers) for (const r of layer.ranges) { cuts.add(r[0]); cuts.add(r[1]); }
    const points = [...cuts].filter((x) => x >= 0 && x <= text.length).sort((a, b) => a - b);
    const out = document.createDocumentFragment();
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i], b = points[i + 1];
      let node = document.createTextNode(text.slice(a, b));
      for (const layer of layers) {
        const hit = layer.ranges.find((r) => r[0] <= a && b <= r[1]);
        if (!hit) continue;
        const wrap = el(layer.tag, layer.attrs(hit));
        wrap.append(node);
        node = wrap;
      }
      out.append(node);
    }
    return out;
  }

  function column(side, member, ranges) {
    const a = member;
    const col = el('div', { class: 'col', id: 'side-' + side });
    col.append(el('h3', { text: `${a.outlet} — ${a.id}` }));
    col.append(el('div', { class: 'relation', text: `${a.date || 'undated'} · ${member.sum}` }));
    if (a.title) col.append(el('p', {}, el('strong', { text: a.title })));
    const text = el('div', { class: 'text' });
    text.append(highlighted(a.text, [
      { tag: 'mark', ranges: ranges, attrs: (r) => ({ class: 'shared', 'data-passage': String(r[2]) }) },
      { tag: 'span', ranges: a.rm, attrs: (r) => ({ class: 'removed', title: 'removed: ' + r[2] }) },
    ]));
    col.append(text);
    return col;
  }

  function renderSide(story, view, ia, ib) {
    const old = view.querySelector('.side-area');
    if (old) old.remove();
    const area = el('div', { class: 'side-area' });
    let lo = Math.min(ia, ib), hi = Math.max(ia, ib);
    const pair = story.pairs.find((p) => p[0] === lo && p[1] === hi);
    const ra = [], rb = [];
    if (pair) {
      pair[2].forEach((p, k) => {
        const first = [p[0], p[1], k + 1], second = [p[2], p[3], k + 1];
        if (ia === lo) { ra.push(first); rb.push(second); } else { ra.push(second); rb.push(first); }
      });
    }
    if (ia === ib) area.append(el('p', { class: 'note', text: 'Choose two different members.' }));
    else if (!pair) area.append(el('p', { class: 'note', text: 'These two share no passage (or were not compared: very large stories compare each member with its 16 most similar earlier ones).' }));
    else area.append(el('p', { class: 'legend' }, el('mark', { class: 'shared', text: `${pair[2].length} shared passage${pair[2].length === 1 ? '' : 's'}` }), ' ', el('span', { class: 'removed', text: 'removed boilerplate' }), ' — click a passage to find it on the other side'));
    const side = el('div', { class: 'side' });
    side.append(column('a', story.m[ia], ra), column('b', story.m[ib], rb));
    area.append(side);
    side.addEventListener('click', (e) => {
      const m = e.target.closest('mark.shared');
      if (!m) return;
      const n = m.dataset.passage;
      const other = m.closest('.col').id === 'side-a' ? 'side-b' : 'side-a';
      side.querySelectorAll('mark.focus').forEach((x) => x.classList.remove('focus'));
      side.querySelectorAll(`mark[data-passage="${n}"]`).forEach((x) => x.classList.add('focus'));
      const target = $(other).querySelector(`mark[data-passage="${n}"]`);
      if (target) target.scrollIntoView({ block: 'center', behavior: 'smooth' });
    });
    view.append(area);
  }

  const details = new Map();
  function storyDetails(n) {
    if (!details.has(n)) {
      const summary = data.stories.find((s) => s.n === n);
      const node = document.getElementById('story-data-' + n);
      details.set(n, summary && node ? Object.assign({}, summary, JSON.parse(node.textContent)) : null);
    }
    return details.get(n);
  }

  function renderStory(n) {
    const story = storyDetails(n);
    const view = $('story-view');
    view.replaceChildren();
    document.querySelectorAll('#story-list li.current').forEach((x) => x.classList.remove('current'));
    const li = document.querySelector(`#story-list li[data-story="${n}"]`);
    if (li) li.classList.add('current');
    if (!story) { view.append(el('p', { class: 'hint', text: 'No such story in this report.' })); return; }
    view.append(el('h2', { text: story.h }));
    const first = story.m[0];
    view.append(el('p', { class: 'reason', text: `Story ${story.n}: ${story.size} article${story.size === 1 ? '' : 's'} from ${story.outlets.length} outlet${story.outlets.length === 1 ? '' : 's'}. First: ${first.outlet} — ${story.reason}.` }));

    view.append(el('h3', { text: 'Timeline' }));
    const timeline = el('table', { id: 'timeline' });
    timeline.append(el('tr', {}, el('th', { text: 'published' }), el('th', { text: 'outlet' }), el('th', { text: 'article' }), el('th', { text: 'relation' }), el('th', { text: 'shared / own' })));
    story.m.forEach((m) => {
      const a = m;
      const bar = el('span', { class: 'bar', title: `${pct(m.shared)} shared with earlier members, ${pct(m.orig)} its own` }, el('span', { style: `width:${pct(m.shared)}` }));
      timeline.append(el('tr', {}, el('td', { text: a.date || 'undated' }), el('td', { text: a.outlet }), el('td', { text: a.title || a.id }), el('td', { class: 'relation', text: m.sum }), el('td', {}, bar, ' ', document.createTextNode(`${pct(m.orig)} own`))));
    });
    view.append(timeline);

    if (story.q.length) {
      view.append(el('h3', { text: 'Quotes' }));
      const quotes = el('table', { id: 'quotes' });
      quotes.append(el('tr', {}, el('th', { text: 'speaker' }), el('th', { text: 'quote' }), el('th', { text: 'carried by' })));
      for (const q of story.q) quotes.append(el('tr', {}, el('td', { text: q.s || '(unattributed)' }), el('td', { text: '“' + q.t + '”' }), el('td', { text: q.o.join(', ') })));
      view.append(quotes);
    }

    if (story.m.length > 1) {
      view.append(el('h3', { text: 'Side by side' }));
      const pick = (id, chosen) => {
        const s = el('select', { id });
        story.m.forEach((m, i) => {
          const a = m;
          const o = el('option', { value: String(i), text: `${i + 1}. ${a.outlet} — ${a.id}` });
          if (i === chosen) o.selected = true;
          s.append(o);
        });
        return s;
      };
      const pa = pick('pick-a', 0), pb = pick('pick-b', 1);
      const redraw = () => renderSide(story, view, Number(pa.value), Number(pb.value));
      pa.addEventListener('change', redraw);
      pb.addEventListener('change', redraw);
      view.append(el('div', { class: 'pickers' }, 'Compare ', pa, ' with ', pb));
      redraw();
    }
  }

  function route() {
    const m = /^#story-(\d+)$/.exec(location.hash);
    if (m) renderStory(Number(m[1]));
  }
  window.addEventListener('hashchange', route);
  renderList();
  if (location.hash) route(); else if (data.stories.length) renderStory(data.stories[0].n);
})();
