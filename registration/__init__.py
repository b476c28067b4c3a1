"""Accounts and roles, delegations and teams, athletes, entries, consent and accreditation."""
