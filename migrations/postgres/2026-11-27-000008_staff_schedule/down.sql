DROP TABLE staff_leave;
DROP TABLE staff_hours;
DROP TABLE staff_skills;
DROP TABLE staff_profiles;
ALTER TABLE companies DROP COLUMN travel_buffer_minutes;
