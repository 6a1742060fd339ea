import type { SourceAccount } from '../timeline-source.js';
import { SourceError } from '../source-errors.js';
import { at, obj, str } from './x-json.js';

/** A UserByScreenName response body (parsed JSON) as the account it names. */
export function parseUserByScreenName(body: unknown, askedHandle: string): SourceAccount {
  const user = obj(at(body, 'data', 'user', 'result'));
  // X answers a handle that does not exist with no result, and a suspended one with
  // "UserUnavailable" (reason "Suspended"); both mean there is no timeline to read.
  if (!user || user.__typename === 'UserUnavailable') {
    const reason = str(user?.reason) ?? str(user?.message);
    throw new SourceError('not_found', `@${askedHandle} was not found${reason ? ` (${reason})` : ''}`);
  }
  const id = str(user.rest_id);
  const handle = str(at(user, 'core', 'screen_name')) ?? str(at(user, 'legacy', 'screen_name'));
  if (!id || !/^\d{1,20}$/.test(id) || !handle) {
    throw new SourceError('not_found', `@${askedHandle}: the answer names no account id and handle`);
  }
  const name = str(at(user, 'core', 'name')) ?? str(at(user, 'legacy', 'name'));
  return { platformUserId: id, handle, name };
}
