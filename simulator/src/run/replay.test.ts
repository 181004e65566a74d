import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeRecordLine } from '../messages/recording';
import { loadRecording, restampBody, runReplay } from './replay';

const encode = (body: unknown) => new TextEncoder().encode(JSON.stringify(body));

describe('restampBody', () => {
  it('moves the instants and tags the eventId', () => {
    const { data, eventId } = restampBody(
      encode({
        eventId: 'E1',
        observedAt: '2026-03-01T00:00:00.000Z',
        startedAt: '2026-02-28T23:00:00+01:00',
      }),
      60_000,
      'rabc',
    );
    expect(eventId).toBe('rabc-E1');
    expect(JSON.parse(new TextDecoder().decode(data))).toEqual({
      eventId: 'rabc-E1',
      observedAt: '2026-03-01T00:01:00.000Z',
      startedAt: '2026-02-28T22:01:00.000Z',
    });
  });

  it('leaves instants the contract rejects as recorded, so a schema fault stays one', () => {
    // A gateway writing local time without a zone, and an observedAt without milliseconds.
    const broken = { eventId: 'E1', observedAt: '2026-03-01 00:00:00.000', effectiveAt: 'yesterday' };
    const noMillis = { eventId: 'E2', observedAt: '2026-03-01T00:00:00Z' };
    const body = (data: Uint8Array) => JSON.parse(new TextDecoder().decode(data)) as unknown;
    expect(body(restampBody(encode(broken), 60_000, 't').data)).toEqual({ ...broken, eventId: 't-E1' });
    expect(body(restampBody(encode(noMillis), 60_000, 't').data)).toEqual({ ...noMillis, eventId: 't-E2' });
  });

  it('leaves recorded garbage untouched', () => {
    const garbage = Uint8Array.from([0x7b, 0xff]);
    expect(restampBody(garbage, 1, 't').data).toBe(garbage);
    const array = encode([1, 2]);
    expect(restampBody(array, 1, 't').data).toBe(array);
  });
});

describe('runReplay', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wachtpost-replay-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const good = (i: number) =>
    encodeRecordLine({
      subject: 'sensors.v1.demo.heartbeat.rf-1',
      receivedAt: i,
      msgId: `m${i}`,
      data: encode({ i }),
    });
  const write = (name: string, lines: string[]) => {
    const file = join(dir, name);
    writeFileSync(file, `${lines.join('\n')}\n`);
    return file;
  };

  it('checks the whole file first: a bad line anywhere sends nothing and names FILE:LINE', async () => {
    const file = write('bad-late.ndjson', [good(1), good(2), '', good(3), '{"subject":"s"}', good(5)]);
    const published: string[] = [];
    const nc = {
      publish: (subject: string) => void published.push(subject),
      flush: async () => undefined,
    } as unknown as NatsConnection;
    await expect(runReplay({ nc, file, core: true })).rejects.toThrow(
      `${file}:5: needs "subject" and an RFC 3339 "receivedAt"\n${file} has 1 bad line: nothing was sent`,
    );
    expect(published).toEqual([]);
  });

  it('names the first five bad lines and counts the rest', async () => {
    const file = write('many-bad.ndjson', [good(1), ...Array.from({ length: 8 }, (_, i) => `x${i}`), 'null']);
    const error = await loadRecording(file).then(
      () => undefined,
      (err: Error) => err.message,
    );
    const lines = error!.split('\n');
    expect(lines.slice(0, 5).map((l) => l.slice(0, file.length + 3))).toEqual(
      [2, 3, 4, 5, 6].map((n) => `${file}:${n}:`),
    );
    expect(lines.slice(5)).toEqual(['and 4 more', `${file} has 9 bad lines: nothing was sent`]);
  });

  it('restamps each message to its own send time, so a fast replay stays within the clock', async () => {
    const at = (iso: string) => ({
      subject: 'sensors.v1.demo.heartbeat.rf-1',
      receivedAt: Date.parse(iso) + 200,
      msgId: iso,
      data: encode({ eventId: `E${iso.slice(11, 13)}`, observedAt: iso }),
    });
    // Two messages an hour apart in the recording: ten hours old and nine hours old.
    const file = write('hour.ndjson', [
      encodeRecordLine(at('2026-03-01T00:00:00.000Z')),
      encodeRecordLine(at('2026-03-01T01:00:00.000Z')),
    ]);
    let now = Date.parse('2026-03-01T10:00:00.000Z');
    const clock = { now: () => now, sleep: async (ms: number) => void (now += ms) };
    const sent: { observedAt: string; sentAt: number }[] = [];
    const nc = {
      publish: (_: string, data: Uint8Array) =>
        void sent.push({
          ...(JSON.parse(new TextDecoder().decode(data)) as { observedAt: string }),
          sentAt: now,
        }),
      flush: async () => undefined,
    } as unknown as NatsConnection;
    await runReplay({ nc, file, core: true, clock, speed: 60, restamp: true });
    // At 60x the second goes out a minute after the first, observed 200 ms before it is sent, like the first.
    expect(sent.map((m) => m.sentAt - Date.parse(m.observedAt))).toEqual([200, 200]);
    expect(sent[1]!.sentAt - sent[0]!.sentAt).toBe(60_000);
  });

  it('reads a good file whole, skipping blank lines', async () => {
    const file = write('good.ndjson', [good(1), '', good(2)]);
    expect((await loadRecording(file)).map((m) => m.msgId)).toEqual(['m1', 'm2']);
  });
});
