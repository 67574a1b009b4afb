// Buttons that ask the demo server to do something (POST /demo/actions/<name>).
const labels = {
  simulate: (r) => `Posted ${r.events} events.`,
  sweep: (r) => `Evaluated ${r.evaluated} devices: ${r.devicesChanged} changed, ${r.alertsOpened} alerts opened, ${r.alertsResolved} resolved.`,
  'send-weekly': (r) => `Weekly report queued for ${(r.recipients || []).join(', ') || 'the recipients'}. It arrives in the inbox in a moment.`,
};

for (const button of document.querySelectorAll('button[data-action]')) {
  button.addEventListener('click', async () => {
    const name = button.dataset.action;
    const output = button.parentElement.querySelector('[data-action-output]');
    button.disabled = true;
    if (output) output.textContent = 'Working…';
    try {
      const response = await fetch(`/demo/actions/${name}`, { method: 'POST', headers: { 'X-Demo-Action': '1' } });
      const body = await response.json();
      if (output) output.textContent = response.ok ? labels[name](body) : `Failed: ${body.error || response.status}`;
      document.dispatchEvent(new CustomEvent('demo-action', { detail: { name, ok: response.ok } }));
    } catch (error) {
      if (output) output.textContent = `Failed: ${error.message}`;
    } finally {
      button.disabled = false;
    }
  });
}
