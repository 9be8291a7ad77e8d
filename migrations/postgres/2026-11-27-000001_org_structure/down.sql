DROP TABLE companies;
DROP TABLE party_organizations;
DROP TABLE communities;
DROP TABLE streets;
DROP TABLE districts;
