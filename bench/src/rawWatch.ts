/**
 * A watch of the stand-in read without any Kubernetes client: the floor the
 * freshness benchmarks measure against. Calls `seen` with each watch event
 * (`{ type, object }`) and when its bytes arrived (`now()`), until the stream
 * ends or `signal` aborts.
 */
export async function rawWatch(options: {
  url: string;
  token: string;
  signal: AbortSignal;
  seen: (event: { type: string; object: any }, at: number) => void;
  now?: () => number;
}): Promise<void> {
  const now = options.now ?? Date.now;
  const res = await fetch(`${options.url}?watch=1&timeoutSeconds=3600`, {
    headers: { authorization: `Bearer ${options.token}` },
    signal: options.signal,
  });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    const at = now();
    buffered += decoder.decode(value, { stream: true });
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      options.seen(JSON.parse(buffered.slice(0, nl)), at);
      buffered = buffered.slice(nl + 1);
    }
  }
}
