/**
 * One line of a recording (`pnpm sim record`): the subject, when it was received, the Nats-Msg-Id header
 * and the raw body. Bodies that are UTF-8 are kept as text so recordings stay readable and diffable;
 * anything else (a fault injecting Latin-1, say) goes in base64 so the bytes survive exactly.
 */
export interface RecordedMessage {
  subject: string;
  /** Epoch ms on the recorder's clock. */
  receivedAt: number;
  msgId?: string;
  data: Uint8Array;
}

interface Line {
  subject: string;
  receivedAt: string;
  msgId?: string;
  data?: string;
  dataBase64?: string;
}

const strict = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

export function encodeRecordLine(message: RecordedMessage): string {
  const line: Line = { subject: message.subject, receivedAt: new Date(message.receivedAt).toISOString() };
  if (message.msgId !== undefined) line.msgId = message.msgId;
  try {
    line.data = strict.decode(message.data);
  } catch {
    line.dataBase64 = Buffer.from(message.data).toString('base64');
  }
  return JSON.stringify(line);
}

/** A line of a recording that cannot be replayed; `line` counts from 1. */
export class RecordingError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

export function decodeRecordLine(text: string, lineNo: number): RecordedMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new RecordingError(lineNo, `not JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new RecordingError(lineNo, 'not a JSON object');
  }
  const line = parsed as Partial<Line>;
  const receivedAt = typeof line.receivedAt === 'string' ? Date.parse(line.receivedAt) : NaN;
  if (typeof line.subject !== 'string' || Number.isNaN(receivedAt)) {
    throw new RecordingError(lineNo, 'needs "subject" and an RFC 3339 "receivedAt"');
  }
  let data: Uint8Array;
  if (typeof line.data === 'string') data = encoder.encode(line.data);
  else if (typeof line.dataBase64 === 'string') data = new Uint8Array(Buffer.from(line.dataBase64, 'base64'));
  else throw new RecordingError(lineNo, 'needs "data" or "dataBase64"');
  return {
    subject: line.subject,
    receivedAt,
    data,
    ...(typeof line.msgId === 'string' && { msgId: line.msgId }),
  };
}
