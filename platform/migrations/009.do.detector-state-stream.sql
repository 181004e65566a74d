-- When the stream stored the message at stream_seq (epoch ms). A SENSORS stream deleted and created again (a NATS
-- server back without its store) numbers its messages from 1 again, so a sequence alone cannot tell an old
-- snapshot from a new one; the message at that sequence, stored at another time or missing, does. (The stream's
-- creation time cannot: nats-server 2.9 moves it when it restarts after a stream update.) NULL for rows
-- written before this column, and before the first message.
ALTER TABLE detector_state ADD COLUMN seq_stored_at bigint;
