// The publish form's live reach preview: as the officer types or ticks, the
// draft is sent (debounced) to POST /api/notices/preview with the session
// cookie (a same-origin fetch: the Origin check lets it in) and the figures
// are redrawn in the aria-live region. Without this script the
// "Förhandsgranska räckvidd" button does the same through the server.
//
// The notice's codes come from the CPV picker (checkboxes named `cpv`); the
// main code and each lot's code are selects of the chosen codes, redrawn here
// when a code is ticked or unticked (the server draws them the same way).
const form = document.getElementById('notice-form');
const panel = document.getElementById('reach');
const result = document.getElementById('reach-result');

if (form && panel && result) {
  const lang = panel.dataset.lang === 'en' ? 'en' : 'sv';
  const buyer = JSON.parse(panel.dataset.buyer || '{}');
  const say = (key, vars = {}) => (panel.dataset[`t${key[0].toUpperCase()}${key.slice(1)}`] || '').replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ''));
  const el = (tag, text) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    return node;
  };
  /** The chosen codes, in the order of the page, each once. */
  const chosen = (data) => [...new Set(data.getAll('cpv').map(String))];
  const noticeCpv = (data) => {
    const all = chosen(data);
    const wanted = String(data.get('cpvMain') ?? '');
    const main = all.includes(wanted) ? wanted : all[0];
    return main ? { main, additional: all.filter((c) => c !== main) } : null;
  };
  const lotCpv = (data, i) => {
    const main = String(data.get(`lots.${i}.cpv`) ?? '');
    return main ? { main, additional: data.getAll(`lots.${i}.cpvMore`).map(String).filter((c) => c !== main) } : null;
  };
  const kronor = (text) => {
    const compact = String(text || '').replace(/[\s\u00a0]/g, '');
    return /^\d{1,15}$/.test(compact) ? { amount: Number(compact), currency: 'SEK' } : null;
  };

  /** The form as a draft in the notice shape (as src/web/officer/notice-form.ts builds it, without the deadline). */
  function draft() {
    const data = new FormData(form);
    const value = (name) => String(data.get(name) ?? '').trim();
    const lots = [];
    const count = Number(value('lotCount')) || 0;
    for (let i = 0; i < count; i++) {
      lots.push({
        id: value(`lots.${i}.id`), title: value(`lots.${i}.title`) || null, cpv: lotCpv(data, i), estimatedValue: kronor(value(`lots.${i}.estimatedValue`)),
      });
    }
    const list = (name) => data.getAll(name).map(String);
    const sme = value('sme');
    return {
      source: 'local', kind: 'tender', title: value('title') || '–', description: value('description') || null,
      buyer: { name: buyer.name || '–', orgNumber: buyer.orgNumber || null }, cpv: noticeCpv(data),
      estimatedValue: kronor(value('estimatedValue')), procedure: value('procedure') || null, lots,
      criteria: {
        requirements: list('requirements'), strategic: list('strategic'), social: list('social'), green: list('green'), gpp: list('gpp'), reserved: list('reserved'),
        smeSuitable: sme === '' ? null : sme === 'yes',
      },
    };
  }

  function draw(preview) {
    const { firms, criteria, lots } = preview;
    const parts = [];
    const total = el('p');
    total.className = 'reach__total';
    total.append(el('strong', say('firms', firms)));
    parts.push(total);
    if (criteria.length) {
      parts.push(el('h3', say('criteria')));
      const ul = el('ul');
      ul.className = 'reach__list';
      for (const c of criteria) {
        const li = el('li');
        li.append(el('strong', c.label[lang]), `: ${say('meeting', c.meeting)}; ${say('without', { more: c.withoutIt.total - firms.total, moreLocal: c.withoutIt.local - firms.local })}`);
        ul.append(li);
      }
      parts.push(ul);
    }
    if (lots.length) {
      parts.push(el('h3', say('lots')));
      const ul = el('ul');
      ul.className = 'reach__list';
      for (const l of lots) ul.append(el('li', say('lot', { title: l.title || l.lotId, total: l.firms.total, local: l.firms.local })));
      parts.push(ul);
    }
    result.replaceChildren(...parts);
  }

  let timer = null;
  let latest = 0;
  async function update() {
    const body = draft();
    if (!body.cpv) {
      result.replaceChildren(el('p', say('unavailable')));
      return;
    }
    const mine = ++latest;
    panel.setAttribute('aria-busy', 'true');
    try {
      const response = await fetch('/api/notices/preview', {
        method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body),
      });
      if (mine !== latest) return; // a newer request is on its way
      if (!response.ok) {
        result.replaceChildren(el('p', say('unavailable')));
        return;
      }
      draw(await response.json());
    } catch {
      if (mine === latest) result.replaceChildren(el('p', say('unavailable')));
    } finally {
      if (mine === latest) panel.removeAttribute('aria-busy');
    }
  }

  /** Each option's text: the picker's label of the code ("90911200 Städning…", without the count). */
  function codeText(code) {
    const box = [...form.querySelectorAll('input[name="cpv"]')].find((i) => i.value === code);
    return box?.labels?.[0]?.firstChild?.textContent?.trim() || code;
  }
  function option(value, text, selected) {
    const o = el('option', text);
    o.value = value;
    o.selected = selected;
    return o;
  }
  /** The main code's select and the lots' selects follow the chosen codes (a lot keeps its own code when it is not among them). */
  function redrawSelects() {
    const codes = chosen(new FormData(form));
    const main = form.querySelector('[data-cpv-main]');
    if (main) {
      const current = main.value;
      main.replaceChildren(...(codes.length ? codes.map((c, i) => option(c, codeText(c), codes.includes(current) ? c === current : i === 0))
        : [option('', main.dataset.noneLabel || '', true)]));
    }
    for (const lot of form.querySelectorAll('[data-lot-cpv]')) {
      const current = lot.value;
      const own = current && !codes.includes(current) ? [option(current, lot.selectedOptions[0]?.textContent || current, true)] : [];
      lot.replaceChildren(option('', lot.options[0]?.textContent || '', current === ''), ...codes.map((c) => option(c, codeText(c), c === current)), ...own);
    }
  }

  const schedule = (event) => {
    // Typing a search in the picker changes nothing in the notice.
    if (event?.target?.matches?.('[data-cpv-query]')) return;
    if (event?.type === 'change' && event.target?.name === 'cpv') redrawSelects();
    clearTimeout(timer);
    timer = setTimeout(update, 400);
  };
  form.addEventListener('input', schedule);
  form.addEventListener('change', schedule);
  // A draft that already says enough (editing, or back from the server with values) shows its reach at once.
  if (noticeCpv(new FormData(form))) update();
}
