import { ulid } from 'ulid';

/** Ids are a type prefix plus a ULID, so they sort by creation time and say what they name. */
export const newId = (
  prefix: 'inc' | 'form' | 'type' | 'cmt' | 'task' | 'ntf' | 'sig' | 'wf' | 'evt' | 'rea' | 'dlv' | 'whs' | 'att' | 'rsp' | 'msg',
  at?: Date,
) => `${prefix}_${ulid(at?.getTime())}`;
