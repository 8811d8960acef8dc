import { randomUUID } from 'node:crypto';
import { AILAB_ERRORS, type AilabError } from './ailab-errors.ts';

/** The public fields of every AILab response (research notes §6: top level, not under `data`). */
export interface AilabEnvelope {
  request_id: string;
  log_id: string;
  /** 0 on success, else the HTTP status. */
  error_code: number;
  error_code_str: string;
  error_msg: string;
  error_detail: { status_code: number; code: string; code_message: string; message: string };
}

/** A fresh request id (UUID) and log id (32 hex characters) for one call. */
export function newIds(): { request_id: string; log_id: string } {
  return { request_id: randomUUID(), log_id: randomUUID().replaceAll('-', '') };
}

export function successEnvelope(ids: { request_id: string; log_id: string }): AilabEnvelope {
  return {
    ...ids,
    error_code: 0,
    error_code_str: '',
    error_msg: '',
    error_detail: { status_code: 200, code: '', code_message: '', message: '' },
  };
}

export function errorEnvelope(ids: { request_id: string; log_id: string }, error: AilabError): AilabEnvelope {
  const { status, codeMessage } = AILAB_ERRORS[error.code];
  return {
    ...ids,
    error_code: status,
    error_code_str: error.code,
    error_msg: `${codeMessage} ${error.message}`,
    error_detail: {
      status_code: status,
      code: error.code,
      code_message: codeMessage,
      message: error.message,
    },
  };
}
