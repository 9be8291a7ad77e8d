DROP INDEX persons_unsubscribe_token;
ALTER TABLE persons DROP COLUMN unsubscribe_token;
ALTER TABLE persons DROP COLUMN mail_announcements;
ALTER TABLE persons DROP COLUMN mail_reminders;
DROP TABLE outbox;
