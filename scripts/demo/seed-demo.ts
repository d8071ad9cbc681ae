/**
 * Seeds the demo once, idempotently: an "Onboarding Status" attribute (Kickoff, Configuration,
 * Implementation, Go Live = end stage) through the gateway, and a few dozen accounts whose
 * backdated histories (CRM events on Kafka, event time = occurredAt) cover every counter rule:
 * forward moves, a move back, completion, a second cycle, a clear, a canceled account, one stuck
 * in Kickoff. Stage SLAs (B3) put accounts in every SLA state — on track, at risk, overdue, none —
 * on the default calendar and on a "germany" calendar with holidays (B1); plays (P1) turn an overdue
 * Kickoff into a call task and an entry into the "Onboarding overdue" segment into a rescue cycle.
 * Every event id is derived from its content, so running it again changes nothing.
 */
import { createHash } from 'node:crypto';
import { KafkaConnection, EventPublisher } from '@lifecycle/messaging';
import type { EventType, PayloadOf } from '@lifecycle/contracts';
import { apiClient, type ApiSchemas } from '@lifecycle/contracts/api';

const GATEWAY = process.env.GATEWAY_URL ?? 'http://127.0.0.1:3000';
const KEY = process.env.DEMO_API_KEY ?? 'dev-admin-key-change-me-0001';
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
/** The platform's topic prefix (`KAFKA_TOPIC_PREFIX`; empty for `npm start`, a test run's prefix in tests). */
const TOPIC_PREFIX = process.env.KAFKA_TOPIC_PREFIX ?? '';
const DAY = 86_400_000;
const ATTRIBUTE = 'onboarding-status';

/** The typed client of the public API (libs/testing, generated from docs/openapi.json). */
const api = apiClient(GATEWAY, KEY);

/** A UUID derived from a name (same name → same id): the idempotency key of seeded events. */
function uuidFrom(name: string): string {
  const h = createHash('sha256').update(`lifecycle-demo:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

/** The demo's "Onboarding Status" (the same attribute the tests' fixture describes). */
const ONBOARDING_STATUS: ApiSchemas['CreateAttributeBody'] = {
  key: ATTRIBUTE,
  name: 'Onboarding Status',
  description: 'Tracks the onboarding journey of new customers.',
  flow: 'Onboarding',
  stages: [
    { name: 'Kickoff', color: '#1E88E5' },
    { name: 'Configuration', color: '#8E24AA' },
    { name: 'Implementation', color: '#FB8C00' },
    { name: 'Go Live', color: '#43A047', endStage: true },
  ],
};

async function seedAttribute(): Promise<void> {
  const created = await api.POST('/v1/attributes', { body: ONBOARDING_STATUS });
  // 409: already there from an earlier seed.
  if (created.error !== undefined && created.response.status !== 409) {
    throw new Error(`creating the attribute failed: ${created.response.status} ${created.error.message}`);
  }
  const activated = await api.POST('/v1/attributes/{key}/activate', { params: { path: { key: ATTRIBUTE } } });
  if (activated.error !== undefined)
    throw new Error(`activating the attribute failed: ${activated.response.status} ${activated.error.message}`);
  console.log(`  attribute ${ATTRIBUTE}: ${created.data === undefined ? 'already there' : 'created and activated'}`);
}

/**
 * B3: Kickoff 10 calendar days (at risk from 8), Configuration 15 business days (from 12),
 * Implementation 20 business days (at risk from 15). Set on every run (idempotent).
 */
const STAGE_SLAS: Record<string, ApiSchemas['StageSlaBody']> = {
  Kickoff: { expected: 10, unit: 'calendar-days' },
  Configuration: { expected: 15, unit: 'business-days' },
  Implementation: { expected: 20, unit: 'business-days', atRisk: 0.75 },
};

async function seedSlas(): Promise<void> {
  const attribute = await api.GET('/v1/attributes/{key}', { params: { path: { key: ATTRIBUTE } } });
  if (attribute.data === undefined) throw new Error(`reading the attribute failed: ${attribute.response.status}`);
  for (const stage of attribute.data.stages) {
    const sla = STAGE_SLAS[stage.name];
    if (sla === undefined) continue;
    const res = await api.PATCH('/v1/attributes/{key}/stages/{stageId}', {
      params: { path: { key: ATTRIBUTE, stageId: stage.id } },
      body: { sla },
    });
    if (res.error !== undefined) throw new Error(`setting the SLA of ${stage.name} failed: ${res.response.status} ${res.error.message}`);
  }
  // B1: a calendar with public holidays, used by the accounts that name it.
  const calendar = await api.POST('/v1/calendars', {
    body: {
      key: 'germany',
      name: 'Germany (Berlin)',
      workingWeekdays: [1, 2, 3, 4, 5],
      holidays: holidaysAround(new Date()),
      timeZone: 'Europe/Berlin',
    },
  });
  if (calendar.error !== undefined && calendar.response.status !== 409) {
    throw new Error(`creating the calendar failed: ${calendar.response.status} ${calendar.error.message}`);
  }
  console.log('  stage SLAs on Kickoff (10 calendar days), Configuration (15 business days), Implementation (20); calendar "germany"');
}

/** A few fixed holidays of last year, this year and next (New Year, Labour Day, Unity Day, Christmas). */
function holidaysAround(now: Date): string[] {
  const year = now.getUTCFullYear();
  return [year - 1, year, year + 1].flatMap((y) => [`${y}-01-01`, `${y}-05-01`, `${y}-10-03`, `${y}-12-25`, `${y}-12-26`]);
}

type Step = [daysAgo: number, stage: string | null];

interface DemoAccount {
  id: string;
  name: string;
  clientType: string;
  ownerId: string;
  canceled?: boolean;
  calendarKey?: string;
  renewalInDays: number | null;
  history: Step[];
}

const STORIES: DemoAccount[] = [
  {
    id: 'demo-acme',
    name: 'Acme Corp',
    clientType: 'enterprise',
    ownerId: 'csm-alice',
    renewalInDays: 200,
    history: [
      [40, 'Kickoff'],
      [34, 'Configuration'],
    ],
  },
  {
    id: 'demo-globex',
    name: 'Globex',
    clientType: 'enterprise',
    ownerId: 'csm-bob',
    renewalInDays: 90,
    history: [
      [60, 'Kickoff'],
      [50, 'Configuration'],
      [45, 'Implementation'],
      [30, 'Configuration'],
      [20, 'Implementation'],
    ],
  },
  {
    id: 'demo-initech',
    name: 'Initech',
    clientType: 'smb',
    ownerId: 'csm-alice',
    renewalInDays: 30,
    history: [
      [90, 'Kickoff'],
      [80, 'Configuration'],
      [60, 'Implementation'],
      [50, 'Go Live'],
    ],
  },
  {
    id: 'demo-umbrella',
    name: 'Umbrella',
    clientType: 'enterprise',
    ownerId: 'csm-carol',
    renewalInDays: 300,
    history: [
      [120, 'Kickoff'],
      [100, 'Configuration'],
      [90, 'Implementation'],
      [70, 'Go Live'],
      [20, 'Kickoff'],
      [5, 'Configuration'],
    ],
  },
  {
    id: 'demo-hooli',
    name: 'Hooli',
    clientType: 'smb',
    ownerId: 'csm-bob',
    renewalInDays: null,
    history: [
      [45, 'Kickoff'],
      [10, null],
    ],
  },
  {
    id: 'demo-stark',
    name: 'Stark Industries',
    clientType: 'enterprise',
    ownerId: 'csm-carol',
    canceled: true,
    renewalInDays: null,
    history: [
      [30, 'Kickoff'],
      [10, 'Configuration'],
    ],
  },
  {
    id: 'demo-wayne',
    name: 'Wayne Enterprises',
    clientType: 'enterprise',
    ownerId: 'csm-alice',
    renewalInDays: 45,
    history: [[35, 'Kickoff']],
  },
  // B3: one account per SLA state of the current stage (Kickoff: 10 calendar days, at risk from 8).
  {
    id: 'demo-sla-on-track',
    name: 'Soylent (SLA on track)',
    clientType: 'smb',
    ownerId: 'csm-bob',
    renewalInDays: 150,
    history: [[3, 'Kickoff']],
  },
  {
    id: 'demo-sla-at-risk',
    name: 'Tyrell (SLA at risk)',
    clientType: 'enterprise',
    ownerId: 'csm-carol',
    renewalInDays: 120,
    history: [[9, 'Kickoff']],
  },
  {
    id: 'demo-sla-overdue',
    name: 'Cyberdyne (SLA overdue)',
    clientType: 'enterprise',
    ownerId: 'csm-alice',
    renewalInDays: 60,
    history: [[14, 'Kickoff']],
  },
  {
    id: 'demo-sla-berlin',
    name: 'Berliner Werke (Configuration on the germany calendar)',
    clientType: 'enterprise',
    ownerId: 'csm-bob',
    calendarKey: 'germany',
    renewalInDays: 250,
    history: [
      [25, 'Kickoff'],
      [16, 'Configuration'],
    ],
  },
];

/** A few dozen more, deterministic: walks forward with occasional move backs and completions. */
function generated(): DemoAccount[] {
  const stages = ['Kickoff', 'Configuration', 'Implementation', 'Go Live'];
  return Array.from({ length: 30 }, (_, i) => {
    const history: Step[] = [];
    let day = 100 - (i % 7) * 9;
    let stage = 0;
    history.push([day, stages[0]!]);
    for (let k = 0; k < (i % 5) + 1 && day > 8; k++) {
      day -= 5 + ((i * 7 + k * 3) % 13);
      stage = (i + k) % 6 === 0 && stage > 0 ? stage - 1 : Math.min(stage + 1, 3);
      history.push([day, stages[stage]!]);
      if (stage === 3) break;
    }
    return {
      id: `demo-account-${String(i + 1).padStart(2, '0')}`,
      name: `Demo Account ${i + 1}`,
      clientType: i % 3 === 0 ? 'enterprise' : 'smb',
      ownerId: ['csm-alice', 'csm-bob', 'csm-carol'][i % 3]!,
      renewalInDays: i % 4 === 0 ? null : 20 + i * 9,
      history,
    };
  });
}

/** SuccessCycles (C1, C3, C8): a chain Enterprise Onboarding → Adoption, default of "enterprise". */
async function seedCycles(): Promise<void> {
  const adoption = await api.POST('/v1/cycle-templates', {
    body: {
      id: 'adoption',
      name: 'Adoption',
      description: 'Drive usage after go-live.',
      stages: [
        {
          name: 'Usage review',
          daysDue: { days: 30, relativeTo: 'cycleStart' },
          activities: [
            {
              name: 'Health check',
              tasks: [{ name: 'Review usage dashboard', daysDue: { days: 14, relativeTo: 'cycleStart' }, ownerRole: 'csm' }],
            },
          ],
        },
        {
          name: 'Renewal prep',
          activities: [
            {
              name: 'Value review',
              tasks: [{ name: 'Executive business review', daysDue: { days: -60, relativeTo: 'renewal' }, ownerRole: 'csm' }],
            },
          ],
        },
      ],
    },
  });
  const onboarding = await api.POST('/v1/cycle-templates', {
    body: {
      id: 'enterprise-onboarding',
      name: 'Enterprise Onboarding',
      description: 'Kickoff to go-live for enterprise customers; continues with Adoption.',
      nextTemplateId: 'adoption',
      stages: [
        {
          name: 'Kickoff',
          daysDue: { days: 7, relativeTo: 'cycleStart' },
          activities: [
            {
              name: 'Welcome',
              tasks: [
                { name: 'Send welcome pack', daysDue: { days: 1, relativeTo: 'cycleStart' }, ownerRole: 'csm' },
                { name: 'Hold kickoff call', daysDue: { days: 5, relativeTo: 'cycleStart' }, ownerRole: 'csm' },
              ],
            },
          ],
        },
        {
          name: 'Implementation',
          daysDue: { days: 45, relativeTo: 'cycleStart' },
          activities: [
            {
              name: 'Technical setup',
              tasks: [
                { name: 'Configure SSO', daysDue: { days: 20, relativeTo: 'cycleStart' } },
                { name: 'Import data', daysDue: { days: 30, relativeTo: 'cycleStart' } },
              ],
            },
          ],
        },
        {
          name: 'Go live',
          activities: [
            {
              name: 'Launch',
              tasks: [
                { name: 'Go-live sign-off', daysDue: { days: 60, relativeTo: 'cycleStart' }, ownerRole: 'csm' },
                { name: 'Renewal risk review', daysDue: { days: -90, relativeTo: 'renewal' } },
              ],
            },
          ],
        },
      ],
    },
  });
  const clientType = await api.POST('/v1/client-types', {
    body: {
      key: 'enterprise',
      name: 'Enterprise',
      templateIds: ['enterprise-onboarding', 'adoption'],
      defaultTemplateId: 'enterprise-onboarding',
    },
  });
  // Created now, or already there from an earlier seed (409).
  const answers = [adoption, onboarding, clientType];
  const failed = answers.filter((a) => a.error !== undefined && a.response.status !== 409);
  if (failed.length > 0) {
    throw new Error(`seeding SuccessCycles failed: ${failed.map((a) => `${a.response.status} ${a.error?.message}`).join('; ')}`);
  }
  console.log('  SuccessCycle templates "Enterprise Onboarding" → "Adoption" (chain), client type "enterprise"');
}

/** The segment the rescue play watches (B5). */
const OVERDUE_SEGMENT = { name: 'Onboarding overdue', criteria: { attribute: ATTRIBUTE, sla: ['overdue'] } };

/**
 * P1: plays, before any account event so that the crossings of the seeded histories reach them:
 * an overdue Kickoff → a call task for the account owner due in 2 business days; an entry into
 * "Onboarding overdue" → the "Onboarding rescue" cycle. Created once (by name).
 */
async function seedPlays(): Promise<void> {
  const rescue = await api.POST('/v1/cycle-templates', {
    body: {
      id: 'onboarding-rescue',
      name: 'Onboarding rescue',
      description: 'Get a stuck onboarding moving again.',
      stages: [
        {
          name: 'Rescue',
          activities: [
            {
              name: 'Unblock',
              tasks: [
                { name: 'Call the sponsor', daysDue: { days: 2, relativeTo: 'cycleStart', unit: 'business-days' }, ownerRole: 'csm' },
                { name: 'Agree a recovery plan', daysDue: { days: 5, relativeTo: 'cycleStart', unit: 'business-days' }, ownerRole: 'csm' },
              ],
            },
          ],
        },
      ],
    },
  });
  if (rescue.error !== undefined && rescue.response.status !== 409) {
    throw new Error(`creating the rescue template failed: ${rescue.response.status} ${rescue.error.message}`);
  }
  // Segment evaluation learns the attribute (and its SLAs) from the catalog's events: until then 422.
  let segmentId: string | undefined;
  for (let i = 0; i < 60 && segmentId === undefined; i++) {
    const existing = await api.GET('/v1/segments', { params: { query: { pageSize: 200 } } });
    segmentId = existing.data?.items.find((s) => s.name === OVERDUE_SEGMENT.name)?.id;
    if (segmentId !== undefined) break;
    const created = await api.POST('/v1/segments', { body: OVERDUE_SEGMENT });
    segmentId = created.data?.id;
    if (segmentId === undefined) await new Promise((r) => setTimeout(r, 500));
  }
  if (segmentId === undefined) throw new Error('saving the "Onboarding overdue" segment failed');
  const attribute = await api.GET('/v1/attributes/{key}', { params: { path: { key: ATTRIBUTE } } });
  const kickoff = attribute.data?.stages.find((s) => s.name === 'Kickoff');
  const existing = new Set(((await api.GET('/v1/plays', { params: { query: { pageSize: 200 } } })).data?.items ?? []).map((p) => p.name));
  const plays: ApiSchemas['CreatePlayBody'][] = [
    {
      name: 'Kickoff overdue → call the customer',
      trigger: { type: 'stage.sla-breached', attributeKey: ATTRIBUTE, ...(kickoff === undefined ? {} : { stageId: kickoff.id }) },
      action: { type: 'create-task', taskName: 'Call the customer: Kickoff is overdue', dueInBusinessDays: 2 },
    },
    {
      name: 'Onboarding overdue → rescue cycle',
      trigger: { type: 'segment.entered', segmentId },
      action: { type: 'assign-template', templateId: 'onboarding-rescue' },
    },
  ];
  for (const play of plays.filter((p) => !existing.has(p.name))) {
    // Cycle planning checks the attribute against its replica of the catalog: 422 until the attribute arrives there.
    for (let attempt = 1; ; attempt++) {
      const res = await api.POST('/v1/plays', { body: play });
      if (res.data !== undefined) break;
      if (res.response.status !== 422 || attempt === 60) {
        throw new Error(`creating play "${play.name}" failed: ${res.response.status} ${res.error.message}`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  console.log('  plays: "Kickoff overdue → call the customer", "Onboarding overdue → rescue cycle" (segment "Onboarding overdue")');
}

/** Saved segments (S1, S5): plays trigger on their entered/exited events. */
async function seedSegments(): Promise<void> {
  const existing = await api.GET('/v1/segments', { params: { query: { pageSize: 200 } } });
  const names = new Set((existing.data?.items ?? []).map((s) => s.name));
  const quarterStart = new Date(Date.UTC(new Date().getUTCFullYear(), Math.floor(new Date().getUTCMonth() / 3) * 3, 1)).toISOString();
  const segments = [
    { name: 'Stuck in Kickoff over 30 days', criteria: { attribute: ATTRIBUTE, isOneOf: ['Kickoff'], daysInStage: { gt: 30 } } },
    { name: 'Completed onboarding this quarter', criteria: { attribute: ATTRIBUTE, completed: { from: quarterStart } } },
    {
      name: 'Enterprise accounts not live yet',
      criteria: {
        all: [
          { field: 'clientType', isOneOf: ['enterprise'] },
          { attribute: ATTRIBUTE, isNotOneOf: ['Go Live'] },
        ],
      },
    },
  ];
  for (const segment of segments.filter((s) => !names.has(s.name))) {
    const res = await api.POST('/v1/segments', { body: segment });
    if (res.data === undefined) throw new Error(`saving segment "${segment.name}" failed: ${res.response.status} ${res.error.message}`);
  }
  console.log(`  ${segments.length} saved segments`);
}

async function main(): Promise<void> {
  console.log('seeding the demo');
  await seedAttribute();
  await seedSlas();
  await seedCycles();
  await seedPlays();
  const connection = new KafkaConnection({ brokers: BROKERS, clientId: 'demo-seed', topicPrefix: TOPIC_PREFIX });
  const publisher = new EventPublisher(connection, 'demo-crm');
  const publish = <T extends EventType>(type: T, data: PayloadOf<T>, name: string, occurredAt: Date) =>
    publisher.publish(type, data, { id: uuidFrom(name), occurredAt });
  const now = Date.now();
  const accounts = [...STORIES, ...generated()];
  // Status-tracking must know the attribute before statuses arrive (L1); wait for its replica.
  for (let i = 0; ; i++) {
    const res = await api.GET('/v1/accounts', { params: { query: { attribute: ATTRIBUTE, pageSize: 1 } } });
    if (res.response.status === 200 || i > 40) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  await new Promise((r) => setTimeout(r, 1_500));
  for (const a of accounts) {
    const createdAt = new Date(now - (a.history[0]![0] + 5) * DAY);
    await publish(
      'crm.account.upserted',
      {
        accountId: a.id,
        name: a.name,
        clientType: a.clientType,
        ownerId: a.ownerId,
        canceled: false,
        ...(a.calendarKey === undefined ? {} : { calendarKey: a.calendarKey }),
        createdAt: createdAt.toISOString(),
        subscription:
          a.renewalInDays === null
            ? { active: false, renewalDate: null }
            : { active: true, renewalDate: new Date(now + a.renewalInDays * DAY).toISOString().slice(0, 10) },
      },
      `${a.id}:upserted`,
      createdAt,
    );
    for (const [i, [daysAgo, stage]] of a.history.entries()) {
      await publish(
        'crm.account.status.set',
        { accountId: a.id, attributeKey: ATTRIBUTE, stage },
        `${a.id}:status:${i}`,
        new Date(now - daysAgo * DAY),
      );
    }
    if (a.canceled) await publish('crm.account.canceled', { accountId: a.id }, `${a.id}:canceled`, new Date(now - DAY));
  }
  await publisher.close();
  console.log(`  ${accounts.length} accounts with backdated histories published to crm.accounts / crm.account-statuses`);
  // A concurrent cycle (C5) beside the default one, once the cycle service knows the account.
  for (let i = 0; i < 40; i++) {
    const account = { params: { path: { accountId: 'demo-acme' } } };
    const list = (await api.GET('/v1/accounts/{accountId}/cycles', account)).data?.cycles ?? [];
    if (list.some((c) => c.templateId === 'adoption')) break;
    if (list.length > 0) {
      const assigned = await api.POST('/v1/accounts/{accountId}/cycles', { ...account, body: { templateId: 'adoption', primary: false } });
      if (assigned.data !== undefined || assigned.response.status === 409) break;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  await seedSegments();
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error('demo seed failed:', e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
