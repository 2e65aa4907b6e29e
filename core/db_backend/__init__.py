"""Weft's database backend: django-tenants' PostgreSQL backend, with a table
list that stays cheap however many workspaces share the database."""
