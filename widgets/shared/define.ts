/**
 * Registers a custom element unless the tag is taken. Our widgets are embedded in other
 * people's pages, which may load the module twice (two widgets from two snippets, a
 * bundler copy beside the CDN copy): a second `customElements.define` would throw and
 * break the host page, so the first registration wins.
 */
export function defineElement(tag: string, constructor: CustomElementConstructor): void {
  if (!customElements.get(tag)) customElements.define(tag, constructor);
}
