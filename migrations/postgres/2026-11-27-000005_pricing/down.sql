DROP TABLE service_prices;
DROP TABLE services;
