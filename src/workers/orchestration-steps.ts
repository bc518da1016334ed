// Work the delivery worker does on each housekeeping pass besides sending: firing due schedules
// and triggers, sending notification emails. Each step claims its own work with a conditional
// update or a unique key, so any number of workers may run it at once; it returns how many things
// it did (0: nothing to do), which keeps the loop awake while there is work.
import type { AppDeps } from '../app/deps.ts';
import { sendNotificationEmails } from '../app/notifications/send-notification-emails.ts';
import { fireDueTriggers } from '../app/triggers/fire-due-triggers.ts';
import type { EmailTransport } from '../transports/email/email-transport.ts';
import { fireDueSchedules } from '../app/schedules/fire-due-schedules.ts';

export interface WorkerStep {
  name: string;
  run(deps: AppDeps, transport: EmailTransport, now: Date): Promise<number>;
}

export const ORCHESTRATION_STEPS: WorkerStep[] = [
  // Recurring campaigns: each due occurrence becomes one run (src/app/schedules/fire-due-schedules.ts).
  { name: 'schedules', run: (deps, _transport, now) => fireDueSchedules(deps, now) },
  // Email copies of notifications for the users who subscribed (F2.2).
  { name: 'notification-emails', run: (deps, transport, now) => sendNotificationEmails(deps, transport, now) },
  // Due trigger firings become deliveries (src/app/triggers/fire-due-triggers.ts).
  { name: 'triggers', run: (deps, _transport, now) => fireDueTriggers(deps, now) },
];
