DROP TABLE contract_events;
DROP TABLE contract_lines;
DROP TABLE contracts;
