"""Tourism pages, one module per audience: public offers, the spectator's stub wallet, merchants
(application, stores, staff, offers), the counter, and organisers' approvals."""
