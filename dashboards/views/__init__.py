"""Dashboard pages: role homes (home), rollup dashboards (rollups), a cluster's (cluster)."""
