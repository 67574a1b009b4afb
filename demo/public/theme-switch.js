// The console's theme switch: auto (the OS setting) unless the person chose light or
// dark, remembered in this browser. It themes the page frame and the widgets alike.
const KEY = 'bh-demo-theme';
const THEMES = ['auto', 'light', 'dark'];
const select = document.getElementById('console-theme');

function apply(theme) {
  document.documentElement.dataset.theme = theme;
  for (const provider of document.querySelectorAll('backup-health-provider')) provider.setAttribute('theme', theme);
  if (select) select.value = theme;
}

let saved = null;
try {
  saved = localStorage.getItem(KEY);
} catch {
  // Storage blocked (private mode, embedded frame): the switch still works for this page.
}
apply(THEMES.includes(saved) ? saved : 'auto');
select?.addEventListener('change', () => {
  apply(select.value);
  try {
    localStorage.setItem(KEY, select.value);
  } catch {
    // As above: not remembered, still applied.
  }
});

// The language links reload the console in the other language on the same view (the view lives in the hash).
for (const link of document.querySelectorAll('a[data-keep-hash]')) {
  link.addEventListener('click', () => {
    link.href = link.href.split('#')[0] + location.hash;
  });
}
