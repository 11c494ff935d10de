"""Accounts: sign-in, sign-out, new accounts."""
