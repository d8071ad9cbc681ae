import {
  ActionIcon,
  Button,
  Fieldset,
  Group,
  MultiSelect,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  TagsInput,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import type { Attribute } from '../api/schemas';
import {
  ACCOUNT_FIELDS,
  COMPARATORS,
  LIFECYCLE_OPERATORS,
  newAccountCondition,
  newGroup,
  newLifecycleCondition,
  removeNode,
  replaceNode,
  SLA_STATUSES,
  type AccountCondition,
  type AccountField,
  type Comparator,
  type CriteriaGroup,
  type CriteriaNode,
  type DayComparison,
  type LifecycleCondition,
  type LifecycleOperator,
  type SlaStatus,
  type StageChoice,
  type TimeWindow,
  type WindowMode,
} from './criteria';

/** Nesting levels the service accepts (its CRITERIA_LIMITS.maxDepth): groups stop one level before. */
const MAX_DEPTH = 8;

interface BuilderContext {
  attributes: readonly Attribute[];
  messages: ReadonlyMap<string, readonly string[]>;
  disabled: boolean;
  replace(node: CriteriaNode): void;
  remove(id: string): void;
}

/** S1's criteria as nested AND / OR groups of conditions; every operator of the language has its controls. */
export function CriteriaBuilder({
  root,
  onChange,
  attributes,
  messages,
  disabled,
}: {
  root: CriteriaGroup;
  onChange: (root: CriteriaGroup) => void;
  attributes: readonly Attribute[];
  messages: ReadonlyMap<string, readonly string[]>;
  disabled: boolean;
}) {
  const ctx: BuilderContext = {
    attributes,
    messages,
    disabled,
    replace: (next) => onChange(replaceNode(root, next.id, next) as CriteriaGroup),
    remove: (id) => onChange(removeNode(root, id)),
  };
  return <GroupEditor group={root} depth={1} ctx={ctx} />;
}

function Messages({ id, ctx }: { id: string; ctx: BuilderContext }) {
  const messages = ctx.messages.get(id);
  if (!messages || messages.length === 0) return null;
  return (
    <Stack gap={2} role="alert">
      {messages.map((m) => (
        <Text key={m} size="sm" c="red.9">
          {m}
        </Text>
      ))}
    </Stack>
  );
}

function GroupEditor({ group, depth, ctx }: { group: CriteriaGroup; depth: number; ctx: BuilderContext }) {
  const root = depth === 1;
  const add = (child: CriteriaNode) => ctx.replace({ ...group, children: [...group.children, child] });
  return (
    <Fieldset legend={root ? 'Criteria' : 'Group'} disabled={ctx.disabled} p="sm" data-testid={root ? 'criteria-root' : undefined}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <SegmentedControl
            aria-label={root ? 'How the conditions combine' : 'How the conditions of this group combine'}
            value={group.match}
            onChange={(v) => ctx.replace({ ...group, match: v as 'all' | 'any' })}
            data={[
              { value: 'all', label: 'All match (AND)' },
              { value: 'any', label: 'Any matches (OR)' },
            ]}
            disabled={ctx.disabled}
          />
          {!root && (
            <Button variant="subtle" color="red" size="compact-sm" onClick={() => ctx.remove(group.id)}>
              Remove group
            </Button>
          )}
        </Group>
        <Messages id={group.id} ctx={ctx} />
        {group.children.length === 0 && (
          <Text size="sm" c="dimmed">
            No condition yet.
          </Text>
        )}
        {group.children.map((child) =>
          child.kind === 'group' ? (
            <GroupEditor key={child.id} group={child} depth={depth + 1} ctx={ctx} />
          ) : child.kind === 'lifecycle' ? (
            <LifecycleEditor key={child.id} node={child} ctx={ctx} />
          ) : (
            <AccountEditor key={child.id} node={child} ctx={ctx} />
          ),
        )}
        <Group gap="xs" wrap="wrap">
          <Button variant="default" size="xs" onClick={() => add(newLifecycleCondition(ctx.attributes[0]?.key ?? ''))}>
            Add attribute condition
          </Button>
          <Button variant="default" size="xs" onClick={() => add(newAccountCondition())}>
            Add account condition
          </Button>
          {depth < MAX_DEPTH - 1 && (
            <Button variant="default" size="xs" onClick={() => add(newGroup(group.match === 'all' ? 'any' : 'all'))}>
              Add group
            </Button>
          )}
        </Group>
      </Stack>
    </Fieldset>
  );
}

function RemoveButton({ what, onClick }: { what: string; onClick: () => void }) {
  return (
    <Tooltip label="Remove condition">
      <ActionIcon variant="default" aria-label={`Remove ${what}`} onClick={onClick}>
        ×
      </ActionIcon>
    </Tooltip>
  );
}

function stageOptions(attribute: Attribute | undefined) {
  return (attribute?.stages ?? []).map((s) => ({ value: s.id, label: `${s.name}${s.disabled ? ' (disabled)' : ''}` }));
}

function LifecycleEditor({ node, ctx }: { node: LifecycleCondition; ctx: BuilderContext }) {
  const attribute = ctx.attributes.find((a) => a.key === node.attribute);
  const set = (patch: Partial<LifecycleCondition>) => ctx.replace({ ...node, ...patch });
  const label = `condition on ${attribute?.name ?? 'an attribute'}`;
  return (
    <Fieldset legend="Attribute condition" p="sm" disabled={ctx.disabled} data-testid="lifecycle-condition">
      <Stack gap="xs">
        <Group align="flex-end" gap="xs" wrap="wrap">
          <Select
            label="Attribute"
            data={ctx.attributes.map((a) => ({ value: a.key, label: a.name }))}
            value={node.attribute || null}
            onChange={(v) => set({ attribute: v ?? '', stages: [], fromStage: { kind: 'any' }, toStage: { kind: 'any' } })}
            allowDeselect={false}
            w={{ base: '100%', xs: 200 }}
          />
          <Select
            label="Operator"
            data={LIFECYCLE_OPERATORS.map((o) => ({ value: o.value, label: o.label }))}
            value={node.operator}
            onChange={(v) => set({ operator: (v ?? 'isOneOf') as LifecycleOperator })}
            allowDeselect={false}
            w={{ base: '100%', xs: 190 }}
          />
          {(node.operator === 'isOneOf' || node.operator === 'isNotOneOf') && (
            <MultiSelect
              label="Stages"
              data={stageOptions(attribute)}
              value={node.stages}
              onChange={(stages) => set({ stages })}
              w={{ base: '100%', xs: 260 }}
            />
          )}
          {node.operator === 'sla' && (
            <MultiSelect
              label="SLA statuses"
              data={SLA_STATUSES.map((o) => ({ value: o.value, label: o.label }))}
              value={node.slaStatuses}
              onChange={(statuses) => set({ slaStatuses: statuses as SlaStatus[] })}
              w={{ base: '100%', xs: 260 }}
            />
          )}
          <RemoveButton what={label} onClick={() => ctx.remove(node.id)} />
        </Group>
        {node.operator === 'isOneOf' && (
          <>
            <Comparisons label="Days in the stage" value={node.daysInStage} onChange={(daysInStage) => set({ daysInStage })} />
            <Comparisons
              label="Days in the attribute"
              value={node.daysInAttribute}
              onChange={(daysInAttribute) => set({ daysInAttribute })}
            />
            <Comparisons
              label="Business days in the stage"
              value={node.businessDaysInStage}
              onChange={(businessDaysInStage) => set({ businessDaysInStage })}
            />
            <Comparisons
              label="Business days in the attribute"
              value={node.businessDaysInAttribute}
              onChange={(businessDaysInAttribute) => set({ businessDaysInAttribute })}
            />
          </>
        )}
        {node.operator === 'changed' && (
          <Group align="flex-end" gap="xs" wrap="wrap">
            <StageChoiceSelect
              label="From stage"
              attribute={attribute}
              value={node.fromStage}
              onChange={(fromStage) => set({ fromStage })}
            />
            <StageChoiceSelect label="To stage" attribute={attribute} value={node.toStage} onChange={(toStage) => set({ toStage })} />
          </Group>
        )}
        {(node.operator === 'changed' || node.operator === 'completed') && (
          <WindowEditor value={node.window} onChange={(window) => set({ window })} />
        )}
        <Messages id={node.id} ctx={ctx} />
      </Stack>
    </Fieldset>
  );
}

function Comparisons({ label, value, onChange }: { label: string; value: DayComparison[]; onChange: (next: DayComparison[]) => void }) {
  const unused = COMPARATORS.filter((c) => !value.some((v) => v.op === c.value));
  return (
    <Stack gap={4}>
      {value.map((c, i) => (
        <Group key={c.op} align="flex-end" gap="xs" wrap="wrap">
          <Select
            label={`${label}: comparison`}
            data={COMPARATORS.filter((o) => o.value === c.op || unused.some((u) => u.value === o.value)).map((o) => ({
              value: o.value,
              label: o.label,
            }))}
            value={c.op}
            onChange={(op) => onChange(value.map((v, j) => (j === i ? { ...v, op: (op ?? v.op) as Comparator } : v)))}
            allowDeselect={false}
            w={{ base: '100%', xs: 160 }}
          />
          <NumberInput
            label={`${label}: days`}
            min={0}
            allowDecimal={false}
            value={c.days}
            onChange={(days) => onChange(value.map((v, j) => (j === i ? { ...v, days: typeof days === 'number' ? days : '' } : v)))}
            w={{ base: '100%', xs: 120 }}
          />
          <RemoveButton what={`${label.toLowerCase()} comparison`} onClick={() => onChange(value.filter((_, j) => j !== i))} />
        </Group>
      ))}
      {unused.length > 0 && (
        <Button variant="subtle" size="compact-xs" w="fit-content" onClick={() => onChange([...value, { op: unused[0]!.value, days: '' }])}>
          + {label}
        </Button>
      )}
    </Stack>
  );
}

const ANY = '__any__';
const NONE = '__none__';

function StageChoiceSelect({
  label,
  attribute,
  value,
  onChange,
}: {
  label: string;
  attribute: Attribute | undefined;
  value: StageChoice;
  onChange: (next: StageChoice) => void;
}) {
  const selected = value.kind === 'any' ? ANY : value.kind === 'none' ? NONE : value.id;
  return (
    <Select
      label={label}
      data={[{ value: ANY, label: 'Any' }, { value: NONE, label: 'None (no value)' }, ...stageOptions(attribute)]}
      value={selected}
      onChange={(v) => onChange(v === null || v === ANY ? { kind: 'any' } : v === NONE ? { kind: 'none' } : { kind: 'stage', id: v })}
      allowDeselect={false}
      w={{ base: '100%', xs: 190 }}
    />
  );
}

function WindowEditor({ value, onChange }: { value: TimeWindow; onChange: (next: TimeWindow) => void }) {
  return (
    <Group align="flex-end" gap="xs" wrap="wrap">
      <Select
        label="When"
        data={[
          { value: 'anyTime', label: 'Any time' },
          { value: 'lastDays', label: 'In the last N days' },
          { value: 'between', label: 'Between dates' },
        ]}
        value={value.mode}
        onChange={(mode) => onChange({ ...value, mode: (mode ?? 'anyTime') as WindowMode })}
        allowDeselect={false}
        w={{ base: '100%', xs: 180 }}
      />
      {value.mode === 'lastDays' && (
        <NumberInput
          label="Last days"
          min={1}
          allowDecimal={false}
          value={value.lastDays}
          onChange={(d) => onChange({ ...value, lastDays: typeof d === 'number' ? d : '' })}
          w={{ base: '100%', xs: 120 }}
        />
      )}
      {value.mode === 'between' && (
        <>
          <TextInput
            label="From"
            placeholder="2025-01-01"
            value={value.from}
            onChange={(e) => onChange({ ...value, from: e.currentTarget.value })}
            w={{ base: '100%', xs: 200 }}
          />
          <TextInput
            label="To (exclusive)"
            placeholder="2025-03-31"
            value={value.to}
            onChange={(e) => onChange({ ...value, to: e.currentTarget.value })}
            w={{ base: '100%', xs: 200 }}
          />
        </>
      )}
    </Group>
  );
}

function AccountEditor({ node, ctx }: { node: AccountCondition; ctx: BuilderContext }) {
  const set = (patch: Partial<AccountCondition>) => ctx.replace({ ...node, ...patch });
  return (
    <Fieldset legend="Account condition" p="sm" disabled={ctx.disabled} data-testid="account-condition">
      <Stack gap="xs">
        <Group align="flex-end" gap="xs" wrap="wrap">
          <Select
            label="Account field"
            data={ACCOUNT_FIELDS.map((f) => ({ value: f.value, label: f.label }))}
            value={node.field}
            onChange={(v) => set({ field: (v ?? 'clientType') as AccountField })}
            allowDeselect={false}
            w={{ base: '100%', xs: 220 }}
          />
          {(node.field === 'clientType' || node.field === 'ownerId') && (
            <TagsInput
              label={node.field === 'clientType' ? 'Client types' : 'Owner ids'}
              description="Type a value, then Enter"
              value={node.values}
              onChange={(values) => set({ values })}
              w={{ base: '100%', xs: 260 }}
            />
          )}
          {node.field === 'canceled' && (
            <SegmentedControl
              aria-label="Canceled"
              value={node.is ? 'yes' : 'no'}
              onChange={(v) => set({ is: v === 'yes' })}
              data={[
                { value: 'yes', label: 'Canceled' },
                { value: 'no', label: 'Not canceled' },
              ]}
            />
          )}
          {node.field === 'renewalDate' && (
            <NumberInput
              label="Renews within (days)"
              min={1}
              allowDecimal={false}
              value={node.withinDays}
              onChange={(d) => set({ withinDays: typeof d === 'number' ? d : '' })}
              w={{ base: '100%', xs: 160 }}
            />
          )}
          <RemoveButton what="account condition" onClick={() => ctx.remove(node.id)} />
        </Group>
        <Messages id={node.id} ctx={ctx} />
      </Stack>
    </Fieldset>
  );
}
