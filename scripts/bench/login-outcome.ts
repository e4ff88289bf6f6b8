import type { HttpResult } from './http-client';

export const SESSION_COOKIE = 'sso_session';

/**
 * Null when the ACS accepted the login (302 with a session cookie, to the expected place when one
 * is expected), else a short description of what came back instead.
 */
export function acsFailure(result: HttpResult, expectedLocation?: string): string | null {
  if (result.status !== 302) return `HTTP ${result.status}: ${pageSummary(result.body)}`;
  const cookies = result.headers['set-cookie'] ?? [];
  if (!cookies.some((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`))) return `302 without a ${SESSION_COOKIE} cookie`;
  if (expectedLocation !== undefined && result.headers.location !== expectedLocation) {
    return `302 to ${result.headers.location ?? '(nowhere)'}, expected ${expectedLocation}`;
  }
  return null;
}

/** The failure page's message (the service names the failed check), without the markup. */
export function pageSummary(body: string): string {
  const text = body
    .replace(/<(script|style|title)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.slice(0, 200) || '(empty body)';
}

/** Counts failures by what they were, keeping the first example of each. */
export class FailureTally {
  private readonly failures = new Map<string, { count: number; example: string }>();

  record(kind: string, example: string): void {
    const entry = this.failures.get(kind);
    if (entry) entry.count += 1;
    else this.failures.set(kind, { count: 1, example });
  }

  get total(): number {
    let total = 0;
    for (const entry of this.failures.values()) total += entry.count;
    return total;
  }

  lines(): string[] {
    return [...this.failures].map(([kind, entry]) => `${entry.count} × ${kind} — e.g. ${entry.example}`);
  }
}
