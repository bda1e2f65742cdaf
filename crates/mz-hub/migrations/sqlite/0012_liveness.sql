-- The nonce a challenge's frames must carry (in the signed request that sends them).
ALTER TABLE face_challenges ADD COLUMN nonce TEXT NOT NULL DEFAULT '';
-- SHA-256 of every frame analysed in the last 30 days: a frame sent again is a replay. Only
-- the hash is kept, never the frame.
CREATE TABLE face_frames_seen (hash TEXT PRIMARY KEY, seen_at BIGINT NOT NULL);
CREATE INDEX face_frames_seen_at ON face_frames_seen (seen_at);
