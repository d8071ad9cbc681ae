import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';

export const accountKeys = {
  view: (accountId: string) => ['account', accountId] as const,
  history: (accountId: string, attributeKey: string) => ['account', accountId, 'history', attributeKey] as const,
  cycles: (accountId: string) => ['account', accountId, 'cycles'] as const,
  segments: (accountId: string) => ['account', accountId, 'segments'] as const,
};

/** The composed account view (SPEC 5.4): facts, every lifecycle state with its counters, the primary cycle. */
export function useAccount(accountId: string) {
  return useQuery({
    queryKey: accountKeys.view(accountId),
    queryFn: () => unwrap(api.GET('/v1/accounts/{accountId}', { params: { path: { accountId } } })),
  });
}

export function useStatusHistory(accountId: string, attributeKey: string) {
  return useQuery({
    queryKey: accountKeys.history(accountId, attributeKey),
    queryFn: () =>
      unwrap(api.GET('/v1/accounts/{accountId}/statuses/{attributeKey}/history', { params: { path: { accountId, attributeKey } } })),
  });
}

export function useAccountCycles(accountId: string) {
  return useQuery({
    queryKey: accountKeys.cycles(accountId),
    queryFn: () => unwrap(api.GET('/v1/accounts/{accountId}/cycles', { params: { path: { accountId } } })),
  });
}
