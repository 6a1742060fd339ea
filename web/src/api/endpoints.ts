import { request, type CallOptions } from './client';
import type { Edition, GuessResult, Kind, Leaderboard, Period, Player, Round, Stats, TokenScores } from './types';

export const getMe = (options?: CallOptions) => request<Player>('/api/me', options);

export const setNickname = (nickname: string, options?: CallOptions) =>
  request<Player>('/api/me', { ...options, method: 'PUT', body: { nickname } });

export const getEditions = (options?: CallOptions) =>
  request<{ editions: Edition[] }>('/api/editions', options).then((r) => r.editions);

export const createRound = (category: string, options?: CallOptions) =>
  request<Round>('/api/rounds', { ...options, method: 'POST', body: { category } });

export const guessRound = (id: string, guess: Kind, options?: CallOptions) =>
  request<GuessResult>(`/api/rounds/${encodeURIComponent(id)}/guess`, { ...options, method: 'POST', body: { guess } });

export const getTokens = (id: string, options?: CallOptions) =>
  request<TokenScores>(`/api/rounds/${encodeURIComponent(id)}/tokens`, options);

export const getLeaderboard = (edition: string, period: Period, options?: CallOptions) =>
  request<Leaderboard>(`/api/leaderboard?${new URLSearchParams({ edition, period })}`, options);

export const getStats = (options?: CallOptions) => request<Stats>('/api/stats', options);
