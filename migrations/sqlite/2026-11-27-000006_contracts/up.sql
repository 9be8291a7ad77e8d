-- Service contracts company ↔ estate, signed for the owners by the homeowner
-- committee: lines at contract prices (fen), the fee model, an optional
-- late-fee clause, the term, the life cycle and its history. A renewal is a
-- new contract pointing at the one it renews.

CREATE TABLE contracts (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    estate_id BIGINT NOT NULL REFERENCES estates(id),
    state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'submitted', 'returned', 'signed', 'active', 'expired', 'terminated')),
    -- 包干 (fixed_fee) or 酬金 (commission, with its rate in basis points).
    fee_model TEXT NOT NULL DEFAULT 'fixed_fee' CHECK (fee_model IN ('fixed_fee', 'commission')),
    commission_bp BIGINT CHECK (commission_bp IS NULL OR (commission_bp > 0 AND commission_bp <= 10000)),
    -- The late-fee clause: a daily rate and a cap, both or neither.
    late_fee_daily_bp BIGINT CHECK (late_fee_daily_bp IS NULL OR late_fee_daily_bp > 0),
    late_fee_cap_bp BIGINT CHECK (late_fee_cap_bp IS NULL OR late_fee_cap_bp > 0),
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    renews_id BIGINT UNIQUE REFERENCES contracts(id),
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CHECK (ends_on >= starts_on),
    CHECK (fee_model <> 'commission' OR commission_bp IS NOT NULL),
    CHECK ((late_fee_daily_bp IS NULL) = (late_fee_cap_bp IS NULL))
);
CREATE INDEX contracts_estate ON contracts (estate_id, state);

CREATE TABLE contract_lines (
    id INTEGER PRIMARY KEY,
    contract_id BIGINT NOT NULL REFERENCES contracts(id),
    service_id BIGINT NOT NULL REFERENCES services(id),
    unit_price_fen BIGINT NOT NULL CHECK (unit_price_fen > 0),
    basis TEXT NOT NULL DEFAULT '',
    UNIQUE (contract_id, service_id)
);

-- Every transition, attributed and timestamped; the first row is the draft.
CREATE TABLE contract_events (
    id INTEGER PRIMARY KEY,
    contract_id BIGINT NOT NULL REFERENCES contracts(id),
    at TIMESTAMP NOT NULL,
    person_id BIGINT REFERENCES persons(id),
    step TEXT,
    to_state TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX contract_events_contract ON contract_events (contract_id);
