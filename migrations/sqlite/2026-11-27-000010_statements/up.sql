-- Monthly accounts: expenses (one estate's, or one spread over several by a
-- stated rule), common-area income, and each estate's monthly statement with
-- its review thread. A submitted statement keeps the figures it was sent
-- with (JSON) and their SHA-256; once the chair has signed they can no longer
-- change. A correction is a new version pointing at the one it corrects.
-- Money is integer fen; timestamps UTC; months are 'YYYY-MM'.

CREATE TABLE expenses (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    month TEXT NOT NULL,
    spent_on DATE NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('wages', 'supplies', 'repairs', 'utilities', 'maintenance_fund', 'other')),
    description TEXT NOT NULL CHECK (description <> ''),
    amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
    split_rule TEXT NOT NULL CHECK (split_rule IN ('single', 'households', 'floor_area')),
    photo_type TEXT,
    photo BLOB,
    recorded_by BIGINT REFERENCES persons(id),
    recorded_at TIMESTAMP NOT NULL,
    CHECK ((photo IS NULL) = (photo_type IS NULL))
);
CREATE INDEX expenses_company_month ON expenses (company_id, month);

-- Each estate's part of an expense; the parts add up to the whole.
CREATE TABLE expense_shares (
    expense_id BIGINT NOT NULL REFERENCES expenses(id),
    estate_id BIGINT NOT NULL REFERENCES estates(id),
    amount_fen BIGINT NOT NULL CHECK (amount_fen >= 0),
    PRIMARY KEY (expense_id, estate_id)
);
CREATE INDEX expense_shares_estate ON expense_shares (estate_id);

-- Income from the common parts (advertising, parking, rent): the owners'.
CREATE TABLE common_incomes (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    estate_id BIGINT NOT NULL REFERENCES estates(id),
    month TEXT NOT NULL,
    received_on DATE NOT NULL,
    source TEXT NOT NULL CHECK (source <> ''),
    amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
    recorded_by BIGINT REFERENCES persons(id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX common_incomes_estate_month ON common_incomes (estate_id, month);

CREATE TABLE statements (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    estate_id BIGINT NOT NULL REFERENCES estates(id),
    month TEXT NOT NULL,
    version BIGINT NOT NULL CHECK (version >= 1),
    corrects_id BIGINT UNIQUE REFERENCES statements(id),
    state TEXT NOT NULL CHECK (state IN ('submitted', 'queried', 'chair_signed', 'disclosed')),
    figures TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    submitted_by BIGINT REFERENCES persons(id),
    submitted_at TIMESTAMP NOT NULL,
    -- Names as signed: a chair without an account signs on paper.
    signed_by BIGINT REFERENCES persons(id),
    signed_by_name TEXT,
    signed_at TIMESTAMP,
    -- Why a second signature was needed, and whose it is.
    second_reason TEXT,
    second_signed_by BIGINT REFERENCES persons(id),
    second_signed_by_name TEXT,
    second_signed_at TIMESTAMP,
    disclosed_at TIMESTAMP,
    UNIQUE (estate_id, month, version),
    CHECK ((version = 1) = (corrects_id IS NULL)),
    CHECK (state IN ('submitted', 'queried') OR signed_at IS NOT NULL),
    CHECK (state <> 'disclosed' OR disclosed_at IS NOT NULL)
);
CREATE INDEX statements_company_month ON statements (company_id, month);

-- Signed is signed: once the chair has signed, the figures, their hash,
-- what they are of and who signed never change, the state only moves on to
-- disclosed, and the row is never deleted.
CREATE TRIGGER statements_frozen BEFORE UPDATE ON statements
WHEN OLD.signed_at IS NOT NULL AND (
    NEW.figures IS NOT OLD.figures
    OR NEW.content_hash IS NOT OLD.content_hash
    OR NEW.month IS NOT OLD.month
    OR NEW.estate_id IS NOT OLD.estate_id
    OR NEW.company_id IS NOT OLD.company_id
    OR NEW.version IS NOT OLD.version
    OR NEW.corrects_id IS NOT OLD.corrects_id
    OR NEW.signed_at IS NOT OLD.signed_at
    OR NEW.signed_by IS NOT OLD.signed_by
    OR NEW.signed_by_name IS NOT OLD.signed_by_name
    OR NEW.submitted_at IS NOT OLD.submitted_at
    OR NEW.submitted_by IS NOT OLD.submitted_by
    OR NEW.state NOT IN ('chair_signed', 'disclosed')
    OR (OLD.state = 'disclosed' AND NEW.state <> 'disclosed')
)
BEGIN
    SELECT RAISE(ABORT, 'a signed statement cannot change');
END;
CREATE TRIGGER statements_kept BEFORE DELETE ON statements
WHEN OLD.signed_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a signed statement cannot be deleted');
END;

-- The review thread: the chair's queries, the manager's answers, the reason
-- for a correction.
CREATE TABLE statement_notes (
    id INTEGER PRIMARY KEY,
    statement_id BIGINT NOT NULL REFERENCES statements(id),
    kind TEXT NOT NULL CHECK (kind IN ('query', 'answer', 'correction')),
    body TEXT NOT NULL CHECK (body <> ''),
    person_id BIGINT REFERENCES persons(id),
    person_name TEXT NOT NULL,
    -- The hash of the figures after an answer refreshed them.
    content_hash TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX statement_notes_statement ON statement_notes (statement_id);
