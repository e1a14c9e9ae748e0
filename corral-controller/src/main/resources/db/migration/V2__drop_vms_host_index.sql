-- The index on vms.host served only queries by hand, yet every VM's move and state change paid for
-- it (a quarter of the store writer's time went to secondary indexes at bench/scale rates).
-- Corral reads VMs by host from memory; a hand query by host now scans the table.
DROP INDEX vms_host;
