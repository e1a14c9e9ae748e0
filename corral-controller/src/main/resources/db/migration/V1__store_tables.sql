-- Corral's store. Portable SQL: runs unchanged on H2 (default mode) and PostgreSQL.
-- Each object is kept whole as JSON (Json.mapper()); the plain columns beside it exist only
-- for queries by hand and for indexes. Instants are ISO-8601 text: exact to the nanosecond on
-- both databases (PostgreSQL timestamps keep only microseconds).

CREATE TABLE hosts (
  name    VARCHAR(63) PRIMARY KEY,
  version BIGINT      NOT NULL,
  state   VARCHAR(32),
  json    VARCHAR     NOT NULL
);

CREATE TABLE vms (
  name    VARCHAR(63) PRIMARY KEY,
  version BIGINT      NOT NULL,
  state   VARCHAR(32),
  host    VARCHAR(63),
  json    VARCHAR     NOT NULL
);
CREATE INDEX vms_host ON vms (host);

-- Networks and images carry no version of their own: the store counts their puts.
CREATE TABLE networks (
  name    VARCHAR(63) PRIMARY KEY,
  version BIGINT      NOT NULL,
  json    VARCHAR     NOT NULL
);

CREATE TABLE images (
  name    VARCHAR(63) PRIMARY KEY,
  version BIGINT      NOT NULL,
  json    VARCHAR     NOT NULL
);

-- The executor's idempotency ledger, one row per action key.
CREATE TABLE actions (
  action_key VARCHAR     PRIMARY KEY,
  kind       VARCHAR(32) NOT NULL,
  subject    VARCHAR,
  status     VARCHAR(16) NOT NULL,
  attempts   INTEGER     NOT NULL,
  created    VARCHAR(40) NOT NULL,
  updated    VARCHAR(40),
  error      VARCHAR,
  action     VARCHAR     NOT NULL
);
CREATE INDEX actions_status ON actions (status);

-- Append-only. seq is assigned by the store, in order, inside the writing transaction.
CREATE TABLE journal (
  seq          BIGINT      PRIMARY KEY,
  at           VARCHAR(40) NOT NULL,
  kind         VARCHAR(32) NOT NULL,
  subject_kind VARCHAR(16) NOT NULL,
  subject      VARCHAR,
  from_state   VARCHAR(32),
  to_state     VARCHAR(32),
  action_key   VARCHAR,
  cause_origin VARCHAR(16),
  cause_reason VARCHAR,
  cause_cycle  BIGINT,
  message      VARCHAR
);
CREATE INDEX journal_subject ON journal (subject, seq);

CREATE TABLE meta (
  meta_key   VARCHAR(200) PRIMARY KEY,
  meta_value VARCHAR      NOT NULL
);
