DROP TABLE volunteer_task_events;
DROP TABLE volunteer_tasks;
DROP TABLE volunteer_kinds;
DROP TABLE volunteers;
