-- The service catalog and its prices. A price is a version with an effective
-- date, never edited in place; money is integer fen. The below-market policy
-- is kept here too: a price at or above the market average carries a reason.

CREATE TABLE services (
    id BIGSERIAL PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    category TEXT NOT NULL CHECK (category IN ('cleaning', 'estate_management', 'housekeeping', 'repair')),
    unit TEXT NOT NULL CHECK (unit IN ('per_m2_month', 'per_hour', 'per_visit')),
    name TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc'),
    retired_at TIMESTAMP,
    UNIQUE (company_id, name)
);

CREATE TABLE service_prices (
    id BIGSERIAL PRIMARY KEY,
    service_id BIGINT NOT NULL REFERENCES services(id),
    our_fen BIGINT NOT NULL CHECK (our_fen > 0),
    market_fen BIGINT NOT NULL CHECK (market_fen > 0),
    -- Why our price is not below the market; required when it is not.
    reason TEXT NOT NULL DEFAULT '',
    -- Where the market average comes from, and when it was surveyed.
    market_source TEXT NOT NULL DEFAULT '',
    surveyed_on DATE NOT NULL,
    effective_from DATE NOT NULL,
    set_by BIGINT REFERENCES persons(id),
    created_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc'),
    UNIQUE (service_id, effective_from),
    CHECK (our_fen < market_fen OR reason <> '')
);
