import type { DaysDue } from '../../domain';
import type { TemplateRecord } from '../cycle-template.repository';

interface ItemView {
  id: string;
  name: string;
  order: number;
  daysDue: DaysDue | null;
}

export interface TemplateView {
  id: string;
  name: string;
  description: string | null;
  version: number;
  nextTemplateId: string | null;
  /** C2: the global default. */
  isDefault: boolean;
  builtIn: boolean;
  stages: Array<ItemView & { activities: Array<ItemView & { tasks: Array<ItemView & { ownerRole: string | null }> }> }>;
  createdAt: string;
  updatedAt: string;
}

const item = (i: { id: string; name: string; order: number; daysDue?: DaysDue }): ItemView => ({
  id: i.id,
  name: i.name,
  order: i.order,
  daysDue: i.daysDue ?? null,
});

export function templateView(record: TemplateRecord, defaultTemplateId: string): TemplateView {
  const t = record.template;
  return {
    id: t.id,
    name: t.name,
    description: t.description ?? null,
    version: t.version,
    nextTemplateId: t.nextTemplateId ?? null,
    isDefault: t.id === defaultTemplateId,
    builtIn: record.isBuiltIn,
    stages: [...t.stages]
      .sort((a, b) => a.order - b.order)
      .map((s) => ({
        ...item(s),
        activities: [...s.activities]
          .sort((a, b) => a.order - b.order)
          .map((a) => ({
            ...item(a),
            tasks: [...a.tasks].sort((x, y) => x.order - y.order).map((k) => ({ ...item(k), ownerRole: k.ownerRole ?? null })),
          })),
      })),
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}
