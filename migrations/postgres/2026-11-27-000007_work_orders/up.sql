-- Work orders: housekeeping booked by residents or on their behalf, and the
-- visits of recurring cleaning plans; their history, complaints, and the
-- charges finished work leaves for the billing run. Slot times are China
-- local time; every other timestamp is UTC. Money is integer fen.

-- How long a visit takes, and how soon an order must be answered.
ALTER TABLE services ADD COLUMN visit_minutes BIGINT NOT NULL DEFAULT 120 CHECK (visit_minutes > 0);
ALTER TABLE services ADD COLUMN response_hours BIGINT NOT NULL DEFAULT 24 CHECK (response_hours > 0);

-- What the contract says about a resident cancelling: free until so many
-- hours before the slot, then a share of the order (basis points).
ALTER TABLE contracts ADD COLUMN free_cancel_hours BIGINT NOT NULL DEFAULT 24 CHECK (free_cancel_hours >= 0);
ALTER TABLE contracts ADD COLUMN late_cancel_bp BIGINT NOT NULL DEFAULT 0 CHECK (late_cancel_bp BETWEEN 0 AND 10000);

CREATE TABLE cleaning_plans (
    id BIGSERIAL PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    estate_id BIGINT NOT NULL REFERENCES estates(id),
    -- A building's stair wells, or the estate's common areas when empty.
    building_id BIGINT REFERENCES buildings(id),
    service_id BIGINT NOT NULL REFERENCES services(id),
    -- Monday = 1, Tuesday = 2, Wednesday = 4, … Sunday = 64.
    weekdays BIGINT NOT NULL CHECK (weekdays BETWEEN 1 AND 127),
    -- Minutes after local midnight.
    start_minute BIGINT NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    minutes BIGINT NOT NULL CHECK (minutes > 0),
    paused_at TIMESTAMP,
    created_by BIGINT REFERENCES persons(id),
    created_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc')
);
CREATE INDEX cleaning_plans_company ON cleaning_plans (company_id);

CREATE TABLE work_orders (
    id BIGSERIAL PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    estate_id BIGINT NOT NULL REFERENCES estates(id),
    building_id BIGINT REFERENCES buildings(id),
    -- Empty for plan visits to common areas.
    household_id BIGINT REFERENCES households(id),
    service_id BIGINT NOT NULL REFERENCES services(id),
    plan_id BIGINT REFERENCES cleaning_plans(id),
    channel TEXT NOT NULL CHECK (channel IN ('app', 'phone', 'plan')),
    state TEXT NOT NULL CHECK (state IN ('requested', 'scheduled', 'in_progress', 'done', 'confirmed', 'cancelled', 'disputed', 'resolved')),
    slot_start TIMESTAMP NOT NULL,
    slot_end TIMESTAMP NOT NULL,
    staff_id BIGINT REFERENCES persons(id),
    -- Hours for an hourly service, otherwise one visit.
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    unit_price_fen BIGINT NOT NULL CHECK (unit_price_fen >= 0),
    market_fen BIGINT NOT NULL CHECK (market_fen >= 0),
    amount_fen BIGINT NOT NULL CHECK (amount_fen >= 0),
    -- Becomes a charge on the household's bill when done.
    chargeable BOOLEAN NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    materials TEXT NOT NULL DEFAULT '',
    respond_by TIMESTAMP NOT NULL,
    booked_by BIGINT REFERENCES persons(id),
    -- The booking form's one-time token: the same form submitted twice books once.
    form_token TEXT UNIQUE,
    stars BIGINT CHECK (stars BETWEEN 1 AND 5),
    rating_comment TEXT NOT NULL DEFAULT '',
    cancel_fee_fen BIGINT CHECK (cancel_fee_fen >= 0),
    created_at TIMESTAMP NOT NULL,
    CHECK (slot_end > slot_start),
    CHECK (household_id IS NOT NULL OR NOT chargeable),
    -- Generating a plan's visits twice creates nothing new.
    UNIQUE (plan_id, slot_start)
);
CREATE INDEX work_orders_company_slot ON work_orders (company_id, slot_start);
CREATE INDEX work_orders_household_slot ON work_orders (household_id, slot_start);
CREATE INDEX work_orders_staff_slot ON work_orders (staff_id, slot_start);

CREATE TABLE work_order_events (
    id BIGSERIAL PRIMARY KEY,
    order_id BIGINT NOT NULL REFERENCES work_orders(id),
    at TIMESTAMP NOT NULL,
    person_id BIGINT REFERENCES persons(id),
    step TEXT,
    to_state TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX work_order_events_order ON work_order_events (order_id);

CREATE TABLE complaints (
    id BIGSERIAL PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    estate_id BIGINT NOT NULL REFERENCES estates(id),
    household_id BIGINT REFERENCES households(id),
    order_id BIGINT REFERENCES work_orders(id),
    filed_by BIGINT NOT NULL REFERENCES persons(id),
    filed_at TIMESTAMP NOT NULL,
    body TEXT NOT NULL CHECK (body <> ''),
    answer TEXT,
    answered_by BIGINT REFERENCES persons(id),
    answered_at TIMESTAMP,
    CHECK ((answer IS NULL) = (answered_at IS NULL))
);
CREATE INDEX complaints_company ON complaints (company_id, answered_at);

-- What the billing run picks up: finished chargeable orders and late
-- cancellation fees, one of each kind per order.
CREATE TABLE charges (
    id BIGSERIAL PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    household_id BIGINT NOT NULL REFERENCES households(id),
    order_id BIGINT NOT NULL REFERENCES work_orders(id),
    kind TEXT NOT NULL CHECK (kind IN ('service', 'cancellation')),
    amount_fen BIGINT NOT NULL CHECK (amount_fen >= 0),
    service_on DATE NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (order_id, kind)
);
CREATE INDEX charges_household ON charges (household_id, service_on);
