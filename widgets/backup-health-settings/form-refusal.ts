/**
 * A refused save, shown the same way in every Settings form: the error reported, each
 * field's finding beside its field, focus moved to the first field the API named.
 */
import type { ApiElement } from '../shared/api-element.ts';
import { fieldErrors } from '../shared/quiet-api.ts';

export async function showRefusal(element: ApiElement, error: unknown, show: (errors: Record<string, string>) => void): Promise<void> {
  element.handleError(error);
  show(fieldErrors(error));
  await element.updateComplete;
  element.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}
