import { describe, expect, it } from 'vitest';
import { createEngine } from './engine/engine';
import { checkDetectorParams, DEFAULT_PARAMS, DetectorParamsError, resolveDetectorParams } from './params';
import { TEST_SITE } from './testing/fixtures';

describe('detector parameters', () => {
  it('defaults are the issue table', () => {
    expect(DEFAULT_PARAMS).toMatchObject({
      engine: { allowedLatenessS: 120 },
      nights: { startHour: 22, endHour: 6 },
      'drone-incursion': { fusionWindowS: 30, fusionDistanceM: 200 },
      'drone-drop': { hoverSpeedMps: 1, hoverMinS: 20, dropAltitudeM: 30 },
      'contraband-delivery': { windowH: 2, quietDays: 7 },
      'persistent-phone': { minNights: 3, withinDays: 7 },
      'phone-follows-detainee': { priorNights: 2, priorDays: 7, stopH: 48, startWithinH: 72 },
      'search-missed': { withinH: 48 },
      'detection-gap': { quietDays: 30 },
      'sensor-offline': { missedIntervals: 3 },
      'gsm-burst': { baselineDays: 14, sdFactor: 4, minBursts: 5 },
    });
  });

  it('a site overrides any subset, per site', () => {
    const engine = createEngine([TEST_SITE], {
      detectorParams: { 'pi-test': { 'persistent-phone': { minNights: 4 } } },
    });
    expect(engine.paramsFor('pi-test')!['persistent-phone']).toEqual({
      minNights: 4,
      withinDays: 7,
      escalateNights: 5,
    });
    expect(DEFAULT_PARAMS['persistent-phone'].minNights).toBe(3);
  });

  it('names every bad path', () => {
    const bad = {
      'persistent-phone': { minNights: 2.5, nightz: 3 },
      nights: { startHour: 24 },
      engine: { allowedLatenessS: -1 },
      'no-such-rule': {},
      'gsm-burst': 'high',
    };
    expect(() => resolveDetectorParams(bad, 'sites/x.yaml')).toThrowError(DetectorParamsError);
    try {
      resolveDetectorParams(bad, 'sites/x.yaml');
    } catch (err) {
      expect((err as DetectorParamsError).problems).toEqual([
        'persistent-phone.minNights: must be a whole number of at least 1',
        'persistent-phone.nightz: unknown parameter',
        'nights.startHour: must be an hour 0-23',
        'engine.allowedLatenessS: must be 0 or more',
        expect.stringContaining('no-such-rule: unknown section'),
        'gsm-burst: must be a mapping',
      ]);
    }
  });

  it('checks overrides keyed by site id before start: sites not loaded, then each bad path', () => {
    expect(() =>
      checkDetectorParams({ 'pi-test': { 'persistent-phone': { minNights: 4 } } }, ['pi-test']),
    ).not.toThrow();
    expect(() => checkDetectorParams({ 'pi-x': {} }, ['pi-test'])).toThrowError(
      'invalid detector parameters DETECTORS_PARAMS:\n  pi-x: no site "pi-x" is loaded (loaded: pi-test)',
    );
    expect(() => checkDetectorParams({ 'pi-test': { nope: {} } }, ['pi-test'])).toThrowError(
      /invalid detector parameters DETECTORS_PARAMS\.pi-test:\n {2}nope: unknown section/,
    );
  });
});
