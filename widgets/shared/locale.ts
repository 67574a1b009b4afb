/**
 * The widgets' language (@lit/localize, runtime mode). English is built in; German is a
 * lazy chunk (`widgets/locales/de.ts`, generated from `xliff/de.xlf`) fetched the first
 * time a widget on the page asks for it. The language follows the `lang` attribute of the
 * widget, else of its nearest ancestor (across shadow roots), else the document's:
 * `de`, `de-DE`, `de-AT`, `de-CH`… choose German, anything else English.
 *
 * Messages are page-wide (@lit/localize keeps one active locale), so a page shows one
 * language: the last one a widget asked for. Dates and numbers follow the same choice.
 */
import { configureLocalization } from '@lit/localize';
import { sourceLocale, targetLocales } from '../locales/locale-codes.ts';

export type WidgetLocale = typeof sourceLocale | (typeof targetLocales)[number];

const { getLocale, setLocale } = configureLocalization({
  sourceLocale,
  targetLocales,
  loadLocale: () => import('../locales/de.ts'),
});

export { getLocale };

/** The `lang` in force for `element`: its own, an ancestor's (through shadow hosts), or the document's. */
export function langOf(element: Element): string {
  for (let node: Node | null = element; node; ) {
    if (node instanceof Element) {
      const lang = node.closest('[lang]')?.getAttribute('lang');
      if (lang) return lang;
    }
    const root: Node = node.getRootNode();
    node = root instanceof ShadowRoot ? root.host : null;
  }
  return document.documentElement.lang;
}

/** `de*` → German, everything else → English. */
export function widgetLocaleOf(lang: string): WidgetLocale {
  return /^de(-|$)/i.test(lang.trim()) ? 'de' : 'en';
}

/**
 * The tag handed to `Intl`: the page's own tag when it agrees with the message language
 * (so `de-CH` groups digits the Swiss way, `en-GB` writes days first), `de` or `en` when
 * it does not (a French page gets English words, so English dates too), and undefined
 * (the browser's own) when no `lang` is set at all: English pages behave as before.
 */
let intlLocale: string | undefined;

/** The locale for `Intl` formatters (see `format.ts`). */
export const formatLocale = (): string | undefined => intlLocale;

/** Switches the page to `element`'s language; resolves when its messages are loaded. */
export function useLocaleOf(element: Element): Promise<void> {
  const lang = langOf(element).trim();
  const locale = widgetLocaleOf(lang);
  let tag: string | undefined = lang && lang.toLowerCase().startsWith(locale) ? lang : lang ? locale : undefined;
  try {
    if (tag) tag = Intl.getCanonicalLocales(tag)[0];
  } catch {
    tag = locale;
  }
  intlLocale = tag;
  return setLocale(locale);
}
