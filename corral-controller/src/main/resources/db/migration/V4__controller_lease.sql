-- Controller high availability (PostgreSQL): one leader lease, and the controllers that share the
-- database. Times are the database's clock in milliseconds since 1970, so that controllers on
-- machines whose clocks disagree judge a lease's expiry by one clock. The epoch is the fencing
-- token: each new leader takes the next one, and every write checks it (JdbcStore's fence).
CREATE TABLE controller_lease (
  id         INTEGER      PRIMARY KEY,
  holder     VARCHAR(200),
  address    VARCHAR(300),
  epoch      BIGINT       NOT NULL,
  expires_at BIGINT       NOT NULL,
  changed_at BIGINT       NOT NULL,
  reason     VARCHAR(300)
);
INSERT INTO controller_lease (id, holder, address, epoch, expires_at, changed_at, reason) VALUES (1, NULL, NULL, 0, 0, 0, NULL);

CREATE TABLE controllers (
  name    VARCHAR(200) PRIMARY KEY,
  address VARCHAR(300) NOT NULL,
  role    VARCHAR(16)  NOT NULL,
  seen_at BIGINT       NOT NULL
);
