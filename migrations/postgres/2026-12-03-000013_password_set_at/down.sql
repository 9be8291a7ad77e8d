ALTER TABLE persons DROP COLUMN password_set_at;
