"""Great Expectations suites over the warehouse, and the runner that validates them."""
