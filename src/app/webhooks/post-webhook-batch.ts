// One signed POST of a JSON body to an endpoint. Redirects are not followed (a 3xx is a failure:
// the receiver must register the final URL), the wait is bounded, and the answer's body is read
// only far enough to quote it in the delivery log.
import { performance } from 'node:perf_hooks';
import { SIGNATURE_HEADER, signWebhookBody } from '../../core/webhooks/outgoing-signature.ts';

export const REQUEST_TIMEOUT_MS = 10_000;

export interface PostResult {
  statusCode: number | null;
  durationMs: number;
  error: string | null;
}

export async function postWebhookBatch(url: string, secret: string, body: string, now: Date, timeoutMs = REQUEST_TIMEOUT_MS): Promise<PostResult> {
  const started = performance.now();
  const unix = Math.floor(now.getTime() / 1000);
  try {
    const res = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: { 'content-type': 'application/json', 'user-agent': 'Herald-Webhooks/1', [SIGNATURE_HEADER]: signWebhookBody(secret, unix, body) },
      body,
    });
    const text = await res.text().catch(() => '');
    const ok = res.status >= 200 && res.status < 300;
    return { statusCode: res.status, durationMs: Math.round(performance.now() - started), error: ok ? null : `HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}` };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const why = e.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : (e.cause?.code ?? e.cause?.message ?? e.message);
    return { statusCode: null, durationMs: Math.round(performance.now() - started), error: why };
  }
}
