-- Operator actions reach the detector engine as logged inputs, beside its clock inputs: the console writes an
-- action's revision, the detectors runtime applies it to its own copy of the alert (so its next revision
-- continues from the console's rev and status, and cool-downs see acknowledge and resolve) and logs it with
-- the stream sequence it followed, so a replay after a crash repeats it in place.
ALTER TABLE detector_clock DROP CONSTRAINT detector_clock_kind_check;
ALTER TABLE detector_clock ADD CONSTRAINT detector_clock_kind_check CHECK (kind IN ('advance', 'expect', 'operator'));
-- For kind 'operator': { "alertId": ..., "action": ..., "rev": ... }.
ALTER TABLE detector_clock ADD COLUMN command jsonb;

-- Set in the transaction that logs the action for the engine; the partial index keeps the poll cheap however
-- long the action history grows.
ALTER TABLE alert_actions ADD COLUMN detectors_applied boolean NOT NULL DEFAULT false;
CREATE INDEX alert_actions_for_detectors ON alert_actions (at, alert_id, rev) WHERE NOT detectors_applied;
