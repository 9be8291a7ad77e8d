-- The mail outbox: a message is written here in the same transaction as the
-- change that caused it; a worker sends it with retries. Content is rendered
-- when queued, so the mail says what was true at that moment.

CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    created_at TIMESTAMP NOT NULL,
    person_id BIGINT REFERENCES persons(id),
    -- The company the mail is about, so its managers see it in their outbox.
    company_id BIGINT REFERENCES companies(id),
    to_address TEXT NOT NULL,
    kind TEXT NOT NULL,
    essential BOOLEAN NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    -- pending → sending → sent, or back to pending for a retry, or failed
    -- after the last try.
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_at TIMESTAMP,
    sent_at TIMESTAMP,
    last_error TEXT
);

CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_company ON outbox (company_id);

-- Mail preferences: bills and receipts always go; reminders and announcements
-- can be turned off, also from the link in every such mail.
ALTER TABLE persons ADD COLUMN mail_reminders BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE persons ADD COLUMN mail_announcements BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE persons ADD COLUMN unsubscribe_token TEXT;
CREATE UNIQUE INDEX persons_unsubscribe_token ON persons (unsubscribe_token);
