"""Accounts: users, roles, sign-in, and the beheerder's pages."""
