"""Ticketing views, one module per audience: shop (buyers), orders, organiser, webhooks, gate and tickets."""
