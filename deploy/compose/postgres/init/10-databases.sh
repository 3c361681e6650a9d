#!/bin/sh
# Runs once, on an empty data volume: one database per owning service ($GLASSHOUSE_DATABASES),
# owned by $POSTGRES_USER, and grafana_reader, who reads every table (pg_read_all_data) and
# writes none, for Grafana's PostgreSQL data sources.
set -eu

for database in $GLASSHOUSE_DATABASES; do
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    --set database="$database" --set owner="$POSTGRES_USER" <<'SQL'
CREATE DATABASE :"database" OWNER :"owner";
SQL
done

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  --set reader_password="$GRAFANA_READER_PASSWORD" <<'SQL'
CREATE ROLE grafana_reader LOGIN PASSWORD :'reader_password';
GRANT pg_read_all_data TO grafana_reader;
SQL
