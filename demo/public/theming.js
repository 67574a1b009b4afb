// The theming page: controls set --bh-* custom properties on the preview's provider
// (they inherit into every widget's shadow DOM) and show the CSS a host page would write.
const form = document.querySelector('[data-theming-form]');
const preview = document.querySelector('[data-theming-preview]');
const provider = document.getElementById('theming-provider');
const output = document.querySelector('[data-theming-css]');

// Presets change only what reads well in both themes; the theme supplies the rest.
const PRESETS = {
  none: {},
  psa: { '--bh-color-accent': '#5b34b5', '--bh-radius': '3px', '--bh-font-family': "'Segoe UI', system-ui, sans-serif" },
  forest: { '--bh-color-accent': '#2f855a', '--bh-color-healthy': '#2f855a', '--bh-radius': '12px' },
  compact: { '--bh-font-size': '12px', '--bh-radius': '2px', '--bh-font-family': "ui-monospace, 'Cascadia Code', Menlo, monospace" },
};

const darkScheme = matchMedia('(prefers-color-scheme: dark)');
/** The default of a colour input in the theme the preview shows. */
const colourDefault = (input) => input.dataset[preview.dataset.theme === 'dark' ? 'dark' : 'light'];

function changed() {
  const lines = [];
  const theme = form.elements.theme.value;
  provider.setAttribute('theme', theme);
  preview.dataset.theme = theme === 'auto' ? (darkScheme.matches ? 'dark' : 'light') : theme;
  for (const input of form.querySelectorAll('[name^="--bh-"]')) {
    const unit = input.dataset.unit || '';
    // An untouched swatch shows the colour the widgets use in this theme.
    if (input.type === 'color' && !input.dataset.touched) input.value = colourDefault(input);
    const isDefault = input.type === 'color' ? !input.dataset.touched : input.type === 'range' ? input.value === input.defaultValue : input.value === '';
    if (isDefault) {
      provider.style.removeProperty(input.name);
      continue;
    }
    const value = `${input.value}${unit}`;
    provider.style.setProperty(input.name, value);
    lines.push(`  ${input.name}: ${value};`);
  }
  output.textContent = [
    `<backup-health-provider theme="${theme}" …>`,
    '',
    lines.length ? `backup-health-provider {\n${lines.join('\n')}\n}` : '/* Widget defaults */',
  ].join('\n');
}

form.addEventListener('input', (event) => {
  if (event.target.type === 'color') event.target.dataset.touched = '1';
  if (event.target.name === 'preset') {
    const preset = PRESETS[event.target.value] || {};
    for (const input of form.querySelectorAll('[name^="--bh-"]')) {
      const value = preset[input.name];
      delete input.dataset.touched;
      if (input.type === 'color') {
        input.value = value || colourDefault(input);
        if (value) input.dataset.touched = '1';
      } else if (input.type === 'range') input.value = value ? parseInt(value, 10) : input.defaultValue;
      else input.value = value || '';
    }
  }
  changed();
});
darkScheme.addEventListener('change', changed);
form.addEventListener('reset', () => setTimeout(() => {
  for (const input of form.querySelectorAll('[data-touched]')) delete input.dataset.touched;
  changed();
}));
changed();
