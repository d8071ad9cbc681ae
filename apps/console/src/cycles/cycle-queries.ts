import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';

export const cycleKeys = {
  templates: ['cycle-templates'] as const,
  template: (id: string) => ['cycle-templates', id] as const,
  settings: ['cycle-settings'] as const,
  clientTypes: ['client-types'] as const,
};

export function useTemplates() {
  return useQuery({ queryKey: cycleKeys.templates, queryFn: () => unwrap(api.GET('/v1/cycle-templates')) });
}

export function useTemplate(templateId: string) {
  return useQuery({
    queryKey: cycleKeys.template(templateId),
    queryFn: () => unwrap(api.GET('/v1/cycle-templates/{templateId}', { params: { path: { templateId } } })),
  });
}

export function useSettings() {
  return useQuery({ queryKey: cycleKeys.settings, queryFn: () => unwrap(api.GET('/v1/settings')) });
}

export function useClientTypes() {
  return useQuery({ queryKey: cycleKeys.clientTypes, queryFn: () => unwrap(api.GET('/v1/client-types')) });
}
