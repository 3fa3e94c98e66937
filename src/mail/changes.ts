// Who hears about a material change of a notice by its own e-mail: firms that
// were alerted to it and follow tenders instantly. Firms on daily or weekly
// digests read the same change in their next digest.
import type { Db } from '../../db/database.ts';
import { materialChangesSince, type MaterialChange } from '../notices/notices.repo.ts';
import { instantFirmsToldOf } from './mail.repo.ts';

export async function changeRecipients(db: Db, noticeId: string, revision: number): Promise<string[]> {
  if (!(await materialChange(db, noticeId, revision))) return [];
  return instantFirmsToldOf(db, noticeId);
}

/** The material change that made this revision, if it was one. */
export async function materialChange(db: Db, noticeId: string, revision: number): Promise<MaterialChange | null> {
  return (await materialChangesSince(db, noticeId, revision - 1, revision))[0] ?? null;
}
