import { describe, expect, it } from 'vitest';
import { decodeRecordLine, encodeRecordLine, RecordingError } from './recording';

describe('recording lines', () => {
  it('keeps UTF-8 bodies as readable text', () => {
    const data = new TextEncoder().encode('{"v":1,"detail":"één"}');
    const line = encodeRecordLine({
      subject: 'sensors.v1.demo.heartbeat.rf-1',
      receivedAt: 1_000,
      msgId: 'abc',
      data,
    });
    expect(JSON.parse(line)).toEqual({
      subject: 'sensors.v1.demo.heartbeat.rf-1',
      receivedAt: '1970-01-01T00:00:01.000Z',
      msgId: 'abc',
      data: '{"v":1,"detail":"één"}',
    });
    expect(decodeRecordLine(line, 1)).toEqual({
      subject: 'sensors.v1.demo.heartbeat.rf-1',
      receivedAt: 1_000,
      msgId: 'abc',
      data,
    });
  });

  it('keeps bodies that are not UTF-8 byte for byte', () => {
    const data = Uint8Array.from([0x7b, 0xff, 0xfe, 0x7d]);
    const line = encodeRecordLine({ subject: 's', receivedAt: 0, data });
    expect(JSON.parse(line)).toHaveProperty('dataBase64');
    expect(decodeRecordLine(line, 1).data).toEqual(data);
  });

  it('names the line of a broken recording', () => {
    expect(() => decodeRecordLine('{"subject":"s"}', 7)).toThrow(RecordingError);
    expect(() => decodeRecordLine('nope', 3)).toThrow(/line 3/);
    // Valid JSON, but not a line: a reason, not a TypeError.
    expect(() => decodeRecordLine('null', 4)).toThrow(/line 4: not a JSON object/);
  });
});
