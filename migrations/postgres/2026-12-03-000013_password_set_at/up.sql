-- When a password was last set: a one-time password from the administrator
-- signs in for 72 hours only. Empty for passwords set before this column
-- (then the account's creation counts).
ALTER TABLE persons ADD COLUMN password_set_at TIMESTAMP;
