/**
 * The instructor's message to the trainee: posted to the training case on the bench API (the runner shows
 * it on the trainee's case banner with its pump time, and the debrief lists it). Refused when there is no
 * bench or no case.
 */
export async function postCaseMessage(
  bench: { url: string; token: string } | null,
  text: string,
  fetchImpl: typeof fetch = fetch,
): Promise<void> {
  if (!bench) throw new Error('no embedded pump: there is no case to send a message to');
  const res = await fetchImpl(`${bench.url}/scenario/message`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bench.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
    signal: AbortSignal.timeout(5000),
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: unknown } | null;
    throw new Error(
      res.status === 404
        ? 'no training case is running: load one first'
        : typeof body?.error === 'string'
          ? body.error
          : `the bench answered ${res.status}`,
    );
  }
}
