-- Staff scheduling: what each staff member may do and when they work, their
-- leave, and how long the company allows to travel between two estates. A
-- staff member without a profile row does every kind of work 08:00-18:00
-- every day. Leave days are China local dates; minutes are after local midnight.

ALTER TABLE companies ADD COLUMN travel_buffer_minutes BIGINT NOT NULL DEFAULT 20 CHECK (travel_buffer_minutes BETWEEN 0 AND 240);

CREATE TABLE staff_profiles (
    company_id BIGINT NOT NULL REFERENCES companies(id),
    person_id BIGINT NOT NULL REFERENCES persons(id),
    home_estate_id BIGINT REFERENCES estates(id),
    updated_by BIGINT REFERENCES persons(id),
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (company_id, person_id)
);

-- The kinds of work (service categories) a profiled staff member may be sent to.
CREATE TABLE staff_skills (
    company_id BIGINT NOT NULL,
    person_id BIGINT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('cleaning', 'estate_management', 'housekeeping', 'repair')),
    PRIMARY KEY (company_id, person_id, category),
    FOREIGN KEY (company_id, person_id) REFERENCES staff_profiles(company_id, person_id)
);

-- Working hours per weekday (1 = Monday … 7 = Sunday); a missing day is off.
CREATE TABLE staff_hours (
    company_id BIGINT NOT NULL,
    person_id BIGINT NOT NULL,
    weekday BIGINT NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_minute BIGINT NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    end_minute BIGINT NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
    CHECK (end_minute > start_minute),
    PRIMARY KEY (company_id, person_id, weekday),
    FOREIGN KEY (company_id, person_id) REFERENCES staff_profiles(company_id, person_id)
);

CREATE TABLE staff_leave (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    person_id BIGINT NOT NULL REFERENCES persons(id),
    first_day DATE NOT NULL,
    last_day DATE NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES persons(id),
    created_at TIMESTAMP NOT NULL,
    CHECK (last_day >= first_day)
);
CREATE INDEX staff_leave_company ON staff_leave (company_id, last_day);
