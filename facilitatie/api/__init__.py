"""JSON API v1 with its OpenAPI 3 document: the same data and permissions as the pages."""
