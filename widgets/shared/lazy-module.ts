/**
 * A module loaded on first use (a code-split chunk), retried after a failure: an element
 * the page rarely needs (the device detail panel, the admin settings) stays out of the
 * entry module every embed downloads.
 */
export function lazyModule(load: () => Promise<unknown>): () => Promise<unknown> {
  let loading: Promise<unknown> | undefined;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined; // a later attempt may succeed (flaky network)
      throw error;
    }));
}
