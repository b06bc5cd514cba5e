DROP TABLE audit_monthly_actors;
