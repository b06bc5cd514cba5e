DROP TABLE audit_hourly_ips;
DROP TABLE audit_daily_actors;
DROP TABLE audit_daily_products;
DROP TABLE audit_daily_actions;
