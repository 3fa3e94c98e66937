// The import page while an import runs: asks the status endpoint once a
// second and updates the progress (the status line is a polite live region);
// when the import has finished, loads the page again to show its summary.
// Without this script the page says to reload it.
const box = document.querySelector('.import-progress[data-status]');
if (box) {
  const status = document.getElementById('import-status');
  const meter = document.getElementById('import-meter');
  let lastSaid = '';
  const poll = async () => {
    try {
      const response = await fetch(box.dataset.status, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      if (!response.ok) return setTimeout(poll, 3000);
      const run = await response.json();
      if (run.state !== 'running') return window.location.reload();
      if (meter) meter.value = run.percent;
      const template = run.pass > 1 ? box.dataset.storing : box.dataset.reading;
      // Say it only every 10 %: a screen reader need not hear every step.
      const said = template.replace('{percent}', String(Math.floor(run.percent / 10) * 10));
      if (status && said !== lastSaid) status.textContent = lastSaid = said;
      setTimeout(poll, 1000);
    } catch {
      setTimeout(poll, 3000);
    }
  };
  setTimeout(poll, 1000);
}
