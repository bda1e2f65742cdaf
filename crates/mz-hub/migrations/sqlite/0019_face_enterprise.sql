-- A counter's face check of an enterprise's legal representative (法人刷脸, seed 002): the
-- enterprise (统一社会信用代码) the passed check then acts for.
ALTER TABLE face_challenges ADD COLUMN enterprise TEXT;
