-- EC2 key pairs (docs/ec2-api.md): a user's named SSH public keys, kept whole as JSON beside the
-- user's name (deleted with the user). Public keys only: no private key is ever stored.

CREATE TABLE key_pairs (
  id        VARCHAR(200) PRIMARY KEY,
  user_name VARCHAR(63)  NOT NULL,
  json      VARCHAR      NOT NULL
);
CREATE INDEX key_pairs_user ON key_pairs (user_name);
