// The CPV picker (src/web/components/cpv-picker.tsx) with JavaScript: the
// search runs as you type against GET /api/cpv, results replace the list
// below the field, and the status line (aria-live) says how many were found.
// A result ticked moves up among the chosen categories, so a new search does
// not lose it. Enter in the search field searches instead of sending the form.
const format = (template, vars) => template.replace(/\{(\w+)\}/g, (_, k) => vars[k] ?? '');

function checkbox(picker, prefix, item, checked) {
  const name = picker.dataset.name;
  const id = `field-${name}-${prefix}-${item.code}`;
  const wrapper = document.createElement('div');
  wrapper.className = 'checkbox cpv-picker__choice';
  const input = document.createElement('input');
  Object.assign(input, { className: 'checkbox__input', type: 'checkbox', id, name, value: item.code, checked });
  const label = document.createElement('label');
  label.className = 'checkbox__label';
  label.htmlFor = id;
  label.textContent = `${item.code} ${item[picker.dataset.lang] ?? item.sv}`;
  const count = document.createElement('span');
  count.className = 'label__description';
  count.textContent = format(picker.dataset.msgCount, { n: String(item.notices12m ?? 0) });
  label.append(count);
  wrapper.append(input, label);
  return wrapper;
}

function enhance(picker) {
  const query = picker.querySelector('[data-cpv-query]');
  const button = picker.querySelector('[data-cpv-search-button]');
  const status = picker.querySelector('[data-cpv-status]');
  const results = picker.querySelector('[data-cpv-results]');
  const selected = picker.querySelector('[data-cpv-selected]');
  if (!query || !status || !results || !selected) return;
  let timer;
  let latest = 0;
  const chosen = () => new Set([...selected.querySelectorAll('input:checked')].map((i) => i.value));

  async function search() {
    const q = query.value.trim();
    const mine = ++latest;
    if (q.length < 2) {
      results.replaceChildren();
      status.textContent = '';
      return;
    }
    let body;
    try {
      const response = await fetch(`/api/cpv?q=${encodeURIComponent(q)}&limit=20`, { headers: { accept: 'application/json' } });
      if (!response.ok) return;
      body = await response.json();
    } catch {
      return; // the button still searches without the script's help
    }
    if (mine !== latest) return; // a newer search is under way
    const taken = chosen();
    results.replaceChildren(...body.items.filter((i) => !taken.has(i.code)).map((i) => checkbox(picker, 'res', i, false)));
    const vars = { n: String(body.total), shown: String(body.items.length), q };
    status.textContent = body.total === 0 ? format(picker.dataset.msgNone, vars)
      : format(body.total > body.items.length ? picker.dataset.msgResultsFirst : picker.dataset.msgResults, vars);
  }

  query.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  });
  query.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    clearTimeout(timer);
    void search();
  });
  button?.addEventListener('click', (event) => {
    event.preventDefault();
    clearTimeout(timer);
    void search();
  });
  // A result ticked becomes a chosen category (focus follows it).
  results.addEventListener('change', (event) => {
    const input = event.target;
    if (input?.type !== 'checkbox' || !input.checked) return;
    const item = input.closest('.cpv-picker__choice');
    const label = item.querySelector('label').firstChild.textContent;
    item.querySelectorAll('[id]').forEach((el) => { el.id = el.id.replace('-res-', '-sel-'); });
    item.querySelector('label').htmlFor = input.id;
    selected.append(item);
    picker.querySelector('[data-cpv-empty]')?.remove();
    input.focus();
    status.textContent = format(picker.dataset.msgAdded, { label });
  });
}

document.querySelectorAll('[data-cpv-picker]').forEach(enhance);
