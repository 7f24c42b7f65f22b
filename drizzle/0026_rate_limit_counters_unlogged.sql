-- SVC-8: the rate-limit counters are unlogged. A limit counted by one hot row (one client
-- address hitting the public API from many connections) waited for a WAL flush at every hit,
-- holding the row's lock meanwhile: about 1 000 hits/s at 50 ms each on the project's machine,
-- 4.4 times more unlogged (bench/README.md). Counters are worth a few minutes: after a crash
-- (or on a standby) they start again from zero, which only forgives a client once.
ALTER TABLE "rate_limit_counters" SET UNLOGGED;
