-- Users, groups and API tokens (docs/users-and-roles.md). Kept whole as JSON, as in V1; the
-- plain columns exist for queries by hand and for deleting a user's tokens with the user.
-- A user's JSON holds an Argon2id password hash, never a password; a token row holds the
-- SHA-256 of the token's secret, never the secret.

CREATE TABLE users (
  name VARCHAR(63) PRIMARY KEY,
  json VARCHAR     NOT NULL
);

CREATE TABLE user_groups (
  name VARCHAR(63) PRIMARY KEY,
  json VARCHAR     NOT NULL
);

CREATE TABLE api_tokens (
  id        VARCHAR(32) PRIMARY KEY,
  user_name VARCHAR(63) NOT NULL,
  json      VARCHAR     NOT NULL
);
CREATE INDEX api_tokens_user ON api_tokens (user_name);
