// The clicks this process wrote in the last few seconds, per message, for the "every link clicked
// within seconds" rule. Kept in memory instead of read back from message_events: under a scanner
// storm that read returned every click of the window for every message of every batch (45,000
// rows per flush in bench/tracking.ts) and blocked the event loop. With several HTTP processes a
// burst split between them is judged by each process on its part (scanners mostly click over one
// keep-alive connection, so one process sees the whole burst).
import { EVERY_LINK_SECONDS, type PastClick } from '../../core/tracking/classify-interaction.ts';

export interface RecentClicks {
  get(messageId: number): readonly PastClick[] | undefined;
  add(messageId: number, click: PastClick): void;
  /** Forgets clicks older than the window before `at` (ISO). */
  prune(at: string): void;
  readonly size: number;
}

export function createRecentClicks(): RecentClicks {
  // Per message, the latest click of each URL: enough for the rule (a window ending now holds a
  // URL if its latest click is inside), and bounded by the message's number of links.
  const byMessage = new Map<number, Map<string, string>>();
  return {
    get(messageId) {
      const urls = byMessage.get(messageId);
      return urls ? [...urls].map(([url, at]) => ({ url, at })) : undefined;
    },
    add(messageId, click) {
      const urls = byMessage.get(messageId) ?? new Map<string, string>();
      const prev = urls.get(click.url);
      if (!prev || prev < click.at) urls.set(click.url, click.at);
      byMessage.set(messageId, urls);
    },
    prune(at) {
      const since = new Date(Date.parse(at) - EVERY_LINK_SECONDS * 1000).toISOString();
      for (const [id, urls] of byMessage) {
        for (const [url, clickedAt] of urls) if (clickedAt < since) urls.delete(url);
        if (urls.size === 0) byMessage.delete(id);
      }
    },
    get size() {
      return byMessage.size;
    },
  };
}
