// Organisationsnummer checked as typed: the field's own status line (aria-live)
// says whether the number looks right, with the server's rules (src/domain/orgnr.ts)
// in small: ten digits (or twelve with 16), a hyphen, the Luhn check digit.
// The server checks again; this only spares a round trip.
const luhn = (digits) => {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const p = Number(digits[i]) * (i % 2 === 0 ? 2 : 1);
    sum += p > 9 ? p - 9 : p;
  }
  return (10 - (sum % 10)) % 10;
};

function problem(value, soleTrader) {
  const v = value.trim();
  if (v === '') return null;
  const m = /^(\d{2})?(\d{6})([-+])?(\d{4})$/.exec(v);
  if (!m) {
    if (!/^[\d+-]+$/.test(v)) return 'format';
    const n = v.replace(/\D/g, '').length;
    return n === 10 || n === 12 ? 'format' : 'length';
  }
  const digits = m[2] + m[4];
  if (Number(digits[2]) < 2 && !soleTrader) return 'personal';
  if (luhn(digits.slice(0, 9)) !== Number(digits[9])) return 'checksum';
  return 'ok';
}

const field = document.querySelector('[data-orgnr]');
const status = document.getElementById('orgnr-status');
const soleTrader = document.querySelector('input[name="soleTrader"]');
if (field && status) {
  let timer;
  const check = () => {
    const result = problem(field.value, soleTrader?.checked ?? false);
    status.textContent = result === null ? '' : field.dataset[`msg${result[0].toUpperCase()}${result.slice(1)}`] ?? '';
    status.classList.toggle('orgnr-status--ok', result === 'ok');
    status.classList.toggle('orgnr-status--error', result !== null && result !== 'ok');
  };
  // After a short pause in typing, so a screen reader is not interrupted at every digit.
  field.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(check, 400);
  });
  field.addEventListener('blur', check);
  soleTrader?.addEventListener('change', check);
}
