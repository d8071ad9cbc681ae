import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';

export const attributeKeys = {
  all: ['attributes'] as const,
  one: (key: string) => ['attributes', key] as const,
};

export function useAttributes() {
  return useQuery({ queryKey: attributeKeys.all, queryFn: () => unwrap(api.GET('/v1/attributes')) });
}

/** Active attributes only: the ones accounts, segments and imports can use (A3). */
export function useActiveAttributes() {
  const query = useAttributes();
  return { ...query, data: query.data?.filter((a) => a.state === 'active') };
}

export function useAttribute(key: string) {
  return useQuery({
    queryKey: attributeKeys.one(key),
    queryFn: () => unwrap(api.GET('/v1/attributes/{key}', { params: { path: { key } } })),
  });
}
