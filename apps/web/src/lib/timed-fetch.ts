/**
 * A fetch that gives up after `ms`, so a hung server or a stalled connection
 * never leaves a spinner turning. tRPC's batch link always passes a signal of
 * its own (to cancel a batch), so the deadline must join it, not replace a
 * missing one.
 */
export function timedFetch(ms: number, base?: typeof fetch): typeof fetch {
  return (input, init) => {
    const deadline = AbortSignal.timeout(ms);
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    return (base ?? fetch)(input, { ...init, signal });
  };
}
