"""Landing: each borough's raw return into landing.duckdb."""
