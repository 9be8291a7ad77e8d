DROP TRIGGER decision_steps_frozen ON decision_steps;
DROP FUNCTION decision_steps_frozen();
DROP TABLE decision_steps;
DROP TABLE decision_estates;
DROP TABLE decisions;
