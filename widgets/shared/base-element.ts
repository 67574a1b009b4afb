import { LitElement, type CSSResultGroup } from 'lit';
import { updateWhenLocaleChanges } from '@lit/localize';
import { property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { themeContext, type ThemeName } from './contexts.ts';
import { defineElement } from './define.ts';
import type { BhEventDetails, BhEventName } from './events.ts';
import { useLocaleOf } from './locale.ts';
import { sharedStyles } from './styles.ts';
import { themeStyles } from './theme.ts';

const THEMES: ReadonlySet<string> = new Set<ThemeName>(['light', 'dark', 'auto']);

/**
 * Base of every Backup Health element: theme tokens and shared styles, the `theme`
 * attribute (inherited from a provider when unset), the language (`lang` here, on an
 * ancestor or on the document; see `locale.ts`), typed `emit()` for `bh-*` events, and a
 * guarded `define()`.
 */
export class BhElement extends LitElement {
  static override styles: CSSResultGroup = [themeStyles, sharedStyles];

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang'];
  }

  constructor() {
    super();
    // Re-renders when the page's language changes (msg() reads the active locale).
    updateWhenLocaleChanges(this);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void useLocaleOf(this);
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    // A new region (de → de-CH) keeps the messages but changes the formats: render again too.
    if (name === 'lang' && this.isConnected) void useLocaleOf(this).then(() => this.requestUpdate());
  }

  /** Registers the element under `tag` unless the tag is already defined. */
  static define(tag: string): void {
    defineElement(tag, this);
  }

  /**
   * `light`, `dark` or `auto` (follows the viewer's `prefers-color-scheme`). Unset: the
   * theme of the enclosing provider, else `auto`.
   */
  @property() theme?: ThemeName;

  @consume({ context: themeContext, subscribe: true })
  @state()
  protected inheritedTheme?: ThemeName;

  /** The theme in force: own attribute, else the provider's, else `auto`. */
  get effectiveTheme(): ThemeName {
    if (this.theme && THEMES.has(this.theme)) return this.theme;
    return this.inheritedTheme ?? 'auto';
  }

  /**
   * Dispatches a `bh-*` CustomEvent, bubbling and composed so it crosses shadow roots.
   * Answers false when a listener called `preventDefault()` on a cancelable event.
   */
  emit<K extends BhEventName>(name: K, detail: BhEventDetails[K], options: { cancelable?: boolean } = {}): boolean {
    return this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable: options.cancelable ?? false }));
  }
}
