-- Billing: monthly bills with their lines, payments with gapless receipt
-- numbers, corrections, the double-entry ledger, and the arrears ladder.
-- Money is integer fen; timestamps UTC; months are 'YYYY-MM'.

-- The share of area fees a vacant home pays (basis points; 100% unless the
-- contract says less).
ALTER TABLE contracts ADD COLUMN vacant_fee_bp BIGINT NOT NULL DEFAULT 10000 CHECK (vacant_fee_bp BETWEEN 0 AND 10000);

-- One run per company and month: its progress, so the manager's page can show it.
CREATE TABLE bill_runs (
    company_id BIGINT NOT NULL REFERENCES companies(id),
    month TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed')),
    total BIGINT NOT NULL DEFAULT 0,
    done BIGINT NOT NULL DEFAULT 0,
    issued BIGINT NOT NULL DEFAULT 0,
    started_by BIGINT REFERENCES persons(id),
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    PRIMARY KEY (company_id, month)
);

-- One bill per household per month per contract, whatever reruns or crashes.
CREATE TABLE bills (
    id BIGSERIAL PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    estate_id BIGINT NOT NULL REFERENCES estates(id),
    household_id BIGINT NOT NULL REFERENCES households(id),
    contract_id BIGINT NOT NULL REFERENCES contracts(id),
    month TEXT NOT NULL,
    due_on DATE NOT NULL,
    total_fen BIGINT NOT NULL,
    issued_at TIMESTAMP NOT NULL,
    UNIQUE (household_id, month, contract_id)
);
CREATE INDEX bills_company_month ON bills (company_id, month);

-- Corrections the manager makes; the next bill carries them.
CREATE TABLE adjustments (
    id BIGSERIAL PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    household_id BIGINT NOT NULL REFERENCES households(id),
    amount_fen BIGINT NOT NULL CHECK (amount_fen <> 0),
    reason TEXT NOT NULL CHECK (reason <> ''),
    created_by BIGINT REFERENCES persons(id),
    created_at TIMESTAMP NOT NULL,
    bill_id BIGINT REFERENCES bills(id)
);
CREATE INDEX adjustments_household ON adjustments (household_id, bill_id);

CREATE TABLE bill_lines (
    id BIGSERIAL PRIMARY KEY,
    bill_id BIGINT NOT NULL REFERENCES bills(id),
    kind TEXT NOT NULL CHECK (kind IN ('area_fee', 'service', 'cancellation', 'late_fee', 'adjustment')),
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    detail TEXT NOT NULL,
    amount_fen BIGINT NOT NULL,
    market_fen BIGINT NOT NULL,
    charge_id BIGINT UNIQUE REFERENCES charges(id),
    adjustment_id BIGINT UNIQUE REFERENCES adjustments(id),
    late_fee_of BIGINT REFERENCES bills(id)
);
CREATE INDEX bill_lines_bill ON bill_lines (bill_id);
CREATE INDEX bill_lines_late_fee_of ON bill_lines (late_fee_of);

-- Finished work is billed once.
ALTER TABLE charges ADD COLUMN bill_id BIGINT REFERENCES bills(id);

-- Payments and their reversals (negative, pointing at what they undo, at
-- most once). Receipt numbers run 1, 2, 3... per company and year with no
-- gaps: each number but the first must follow an existing one.
CREATE TABLE payments (
    id BIGSERIAL PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    household_id BIGINT NOT NULL REFERENCES households(id),
    method TEXT NOT NULL CHECK (method IN ('cash', 'wechat', 'alipay', 'bank')),
    reference TEXT NOT NULL,
    amount_fen BIGINT NOT NULL CHECK (amount_fen <> 0),
    paid_at TIMESTAMP NOT NULL,
    recorded_by BIGINT REFERENCES persons(id),
    reversal_of BIGINT UNIQUE REFERENCES payments(id),
    reason TEXT NOT NULL,
    receipt_year BIGINT NOT NULL,
    receipt_seq BIGINT NOT NULL CHECK (receipt_seq >= 1),
    prev_seq BIGINT,
    form_token TEXT UNIQUE,
    UNIQUE (company_id, receipt_year, receipt_seq),
    FOREIGN KEY (company_id, receipt_year, prev_seq) REFERENCES payments (company_id, receipt_year, receipt_seq),
    CHECK ((receipt_seq = 1 AND prev_seq IS NULL) OR (prev_seq IS NOT NULL AND prev_seq = receipt_seq - 1)),
    CHECK ((reversal_of IS NULL AND amount_fen > 0) OR (reversal_of IS NOT NULL AND amount_fen < 0 AND reason <> ''))
);
CREATE INDEX payments_household ON payments (household_id);

-- Which bills a payment settled (negative for a reversal).
CREATE TABLE allocations (
    payment_id BIGINT NOT NULL REFERENCES payments(id),
    bill_id BIGINT NOT NULL REFERENCES bills(id),
    amount_fen BIGINT NOT NULL,
    PRIMARY KEY (payment_id, bill_id)
);
CREATE INDEX allocations_bill ON allocations (bill_id);

-- Double entries: debit positive, credit negative; each source's lines sum to 0.
CREATE TABLE ledger_lines (
    id BIGSERIAL PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    posted_at TIMESTAMP NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('bill', 'payment')),
    source_id BIGINT NOT NULL,
    account TEXT NOT NULL,
    household_id BIGINT REFERENCES households(id),
    amount_fen BIGINT NOT NULL
);
CREATE INDEX ledger_lines_company ON ledger_lines (company_id, account);

-- The escalation ladder per household: reminder, committee, mediation, legal.
CREATE TABLE arrears_steps (
    id BIGSERIAL PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    household_id BIGINT NOT NULL REFERENCES households(id),
    stage TEXT NOT NULL CHECK (stage IN ('reminder', 'committee', 'mediation', 'legal')),
    note TEXT NOT NULL,
    taken_by BIGINT REFERENCES persons(id),
    taken_on DATE NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX arrears_steps_household ON arrears_steps (household_id);
