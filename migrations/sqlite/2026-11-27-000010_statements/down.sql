DROP TABLE statement_notes;
DROP TRIGGER statements_kept;
DROP TRIGGER statements_frozen;
DROP TABLE statements;
DROP TABLE common_incomes;
DROP TABLE expense_shares;
DROP TABLE expenses;
