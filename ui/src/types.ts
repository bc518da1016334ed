// Shapes of the API answers the dashboard reads (the subset it uses; the server's OpenAPI
// document at /api/v1/openapi.json is the full description).

export interface Page<T> {
  items: T[];
  next_before?: number | null;
  next_after?: number | null;
}

export interface Campaign {
  id: number;
  name: string;
  channel: string;
  kind: string;
  status: string;
  template_id: number | null;
  from_email: string | null;
  from_name: string | null;
  reply_to: string | null;
  audience: { list_ids?: number[]; exclude_list_ids?: number[]; segment_id?: number | null; exclude_segment_ids?: number[] };
  settings: { tracking?: boolean; uncertain_policy?: 'resend' | 'hold'; quiet_hours?: { enabled?: boolean; start?: string; end?: string } };
  scheduled_at: string | null;
  current_delivery_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface Kpis {
  toSend: number;
  sent: number;
  failed: number;
  delivered: number;
  opensTotal: number;
  opensHuman: number;
  clicksTotal: number;
  clicksHuman: number;
  uniqueOpeners: number;
  uniqueHumanOpeners: number;
  uniqueClickers: number;
  uniqueHumanClickers: number;
  unsubscribes: number;
  complaints: number;
  delivered_rate: number | null;
  bounce_error_rate: number | null;
  open_rate: number | null;
  human_open_rate: number | null;
  click_rate: number | null;
  human_click_rate: number | null;
}

export interface HourlyActivity {
  hour: string;
  sent: number;
  opens: number;
  human_opens: number;
  clicks: number;
  human_clicks: number;
  bounces: number;
}

export interface CampaignStats {
  campaign_id: number;
  status: string;
  delivery: { id: number; status: string; status_reason: string | null; scheduled_at: string | null; started_at: string | null; finished_at: string | null } | null;
  total: number;
  to_send: number;
  sent: number;
  deferred: number;
  failed: number;
  skipped: number;
  cancelled: number;
  uncertain: number;
  by_status: Record<string, number>;
  by_reason: Array<{ reason: string; status: string; count: number; meaning: string }>;
  progress: number;
  sent_last_minute: number;
  sent_last_hour: number;
  projected_finish_at: string | null;
  kpis: Kpis | null;
  hourly: HourlyActivity[];
  links: Array<{ url: string; clicks: number; clicks_human: number; unique_clickers: number; unique_human_clickers: number }>;
}

export interface CampaignSummary {
  campaign_id: number;
  delivery_id: number | null;
  delivery_status: string | null;
  total: number;
  to_send: number;
  sent: number;
  failed: number;
  progress: number;
  delivered_rate: number | null;
  open_rate: number | null;
  click_rate: number | null;
}

export interface CheckItem {
  id: string;
  status: 'ok' | 'warning' | 'blocking';
  title: string;
  detail: string;
  fix: { hint: string; api?: string; cli?: string } | null;
}

export interface Preflight {
  campaign_id: number;
  ready: boolean;
  blocking: number;
  warnings: number;
  items: CheckItem[];
}

export interface Named {
  id: number;
  name: string;
}

export interface Me {
  kind: 'user' | 'api_key';
  user: { id: number; email: string; name: string | null; role: string } | null;
  role: string;
  /** null when the server has no /auth/me yet: the app then tries and shows the 403. */
  permissions: string[] | null;
  account: { id: number; name: string };
  /** Every role with its permissions (from /auth/me), to say who could do what this role cannot. */
  roles?: Record<string, string[]>;
}
