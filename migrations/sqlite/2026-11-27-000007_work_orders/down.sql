DROP TABLE charges;
DROP TABLE complaints;
DROP TABLE work_order_events;
DROP TABLE work_orders;
DROP TABLE cleaning_plans;
ALTER TABLE contracts DROP COLUMN late_cancel_bp;
ALTER TABLE contracts DROP COLUMN free_cancel_hours;
ALTER TABLE services DROP COLUMN response_hours;
ALTER TABLE services DROP COLUMN visit_minutes;
