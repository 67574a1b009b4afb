// Seeding banner: polls /demo/status while the demo starts or seeds, and reloads a
// page that was opened before the fleet was ready so its widgets show the full fleet.
const banner = document.getElementById('demo-seeding');
let sawNotReady = false;

function text(selector, value) {
  for (const el of document.querySelectorAll(selector)) el.textContent = value;
}

function render(status) {
  const ready = status.phase === 'ready';
  if (!ready) sawNotReady = true;
  if (banner) {
    banner.hidden = ready;
    banner.dataset.phase = status.phase;
    banner.replaceChildren();
    if (!ready) {
      const label = document.createElement('span');
      label.textContent =
        status.phase === 'seeding'
          ? `Seeding the demo fleet… ${status.percent} % (${status.eventsSent.toLocaleString()} of ${status.eventsTotal.toLocaleString()} events). ${status.message}`
          : status.message;
      banner.append(label);
      if (status.phase === 'seeding') {
        const bar = document.createElement('progress');
        bar.max = 100;
        bar.value = status.percent;
        bar.setAttribute('aria-label', 'Seeding progress');
        banner.append(bar);
      }
    }
  }
  if (status.devices) text('[data-status="devices"]', status.devices.toLocaleString());
  const sim = status.simulator;
  text('[data-status="simulator"]', sim.on ? `on: ${sim.jobs.toLocaleString()} jobs posted, ${sim.failures} failed, ${sim.recoveries} recoveries` : 'off');
  text('[data-status-line]', ready ? 'Fleet ready.' : status.message);
}

async function poll() {
  let status = null;
  try {
    const response = await fetch('/demo/status', { cache: 'no-store' });
    if (response.ok) status = await response.json();
  } catch {
    // The demo may be restarting; try again.
  }
  if (status) {
    render(status);
    // Widgets loaded mid-seed show a partial fleet, and a "starting" page has none.
    const needsReload = document.querySelector('backup-health-provider') || document.title.startsWith('Starting');
    if (status.phase === 'ready' && sawNotReady && needsReload) {
      location.reload();
      return;
    }
  }
  const live = !status || status.phase !== 'ready' || document.querySelector('[data-status]');
  if (live) setTimeout(poll, status && status.phase === 'ready' ? 5000 : 1000);
}

poll();
