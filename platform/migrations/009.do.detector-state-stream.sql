-- Which SENSORS stream a snapshot's sequence counts in: JetStream's creation time of the stream. A stream deleted
-- and created again (a NATS server back without its store) numbers its messages from 1 again, so a sequence alone
-- cannot tell an old snapshot from a new one. NULL for rows written before this column: judged by sequence.
ALTER TABLE detector_state ADD COLUMN stream_created text;
