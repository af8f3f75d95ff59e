-- tokens_used counts what a run's calls need (the same whether the scorer's cache answered or not, so a budget stops
-- warm and cold runs at the same place); tokens_sent what was really sent to backends. Null for runs stored before.
ALTER TABLE runs ADD COLUMN tokens_sent BIGINT;
