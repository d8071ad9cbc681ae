/**
 * What the status benches share: the onboarding attribute they publish, the wait for
 * status-tracking's replica of it, and the CRM events that walk accounts through its stages.
 */
import type { AnyEnvelope } from '@lifecycle/contracts';
import { buildEnvelope, type EventPublisher } from '@lifecycle/messaging';
import { waitFor } from '@lifecycle/testing';

export const STAGES = ['Kickoff', 'Configuration', 'Implementation', 'Go Live'];
const DAY = 86_400_000;

/** `onboarding-status` with the four stages, the last an end stage. */
export async function publishOnboarding(publisher: EventPublisher): Promise<void> {
  await publisher.publish('attribute.activated', {
    key: 'onboarding-status',
    name: 'Onboarding Status',
    state: 'active',
    version: 2,
    updatedAt: new Date().toISOString(),
    stages: STAGES.map((name, i) => ({ id: `stg-${i}`, name, color: '#1E88E5', order: i, endStage: i === 3, disabled: false })),
  });
}

/** Waits until status-tracking at `serviceUrl` accepts a status of the attribute (its replica holds it). */
export async function awaitTrackingReplica(serviceUrl: string): Promise<void> {
  await waitFor('attribute replica', async () => {
    const res = await fetch(`${serviceUrl}/v1/accounts/probe/statuses/onboarding-status`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ stage: 'Kickoff' }),
    });
    return res.status === 200;
  });
}

/** Per account a walk through the stages a day apart (every step a real change), interleaved across accounts. */
export function statusWalks(events: number, accounts: number, prefix: string, now: number): AnyEnvelope[] {
  const perAccount = Math.ceil(events / accounts);
  const out: AnyEnvelope[] = [];
  for (let step = 0; step < perAccount; step++) {
    for (let a = 0; a < accounts && out.length < events; a++) {
      out.push(
        buildEnvelope(
          'bench-crm',
          'crm.account.status.set',
          { accountId: `${prefix}-${a}`, attributeKey: 'onboarding-status', stage: STAGES[step % 4]! },
          { occurredAt: new Date(now - (perAccount - step) * DAY) },
        ) as AnyEnvelope,
      );
    }
  }
  return out;
}
