-- EC2 access keys (docs/ec2-api.md). As api_tokens: kept whole as JSON, with the user's name
-- beside it for deleting a user's keys with the user. The JSON holds the secret sealed with
-- AES-256-GCM under the key in CORRAL_HOME/ec2-kek (docs/security.md), never the secret itself.

CREATE TABLE access_keys (
  id        VARCHAR(32) PRIMARY KEY,
  user_name VARCHAR(63) NOT NULL,
  json      VARCHAR     NOT NULL
);
CREATE INDEX access_keys_user ON access_keys (user_name);
