import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';

export const playKeys = {
  all: ['plays'] as const,
  firings: (playId: string, page: number) => ['plays', playId, 'firings', page] as const,
  /** Everything an account's firings and tasks show; invalidated after a completion. */
  account: (accountId: string) => ['account-plays', accountId] as const,
};

/** Every play (a few dozen at most: one page of the largest size). */
export function usePlays() {
  return useQuery({ queryKey: playKeys.all, queryFn: () => unwrap(api.GET('/v1/plays', { params: { query: { pageSize: 200 } } })) });
}

export function usePlayFirings(playId: string, page: number, pageSize: number) {
  return useQuery({
    queryKey: playKeys.firings(playId, page),
    queryFn: () => unwrap(api.GET('/v1/plays/{playId}/firings', { params: { path: { playId }, query: { page, pageSize } } })),
    placeholderData: keepPreviousData,
  });
}

/** P2: the plays that fired for an account, newest first (its one-off tasks among them). */
export function useAccountFirings(accountId: string) {
  return useQuery({
    queryKey: playKeys.account(accountId),
    queryFn: () => unwrap(api.GET('/v1/accounts/{accountId}/play-firings', { params: { path: { accountId }, query: { pageSize: 200 } } })),
  });
}

/** The saved segments a play may watch (one page of the largest size). */
export function useSegmentChoices() {
  return useQuery({
    queryKey: ['segments', 'choices'],
    queryFn: () => unwrap(api.GET('/v1/segments', { params: { query: { pageSize: 200 } } })),
  });
}
