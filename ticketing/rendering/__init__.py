"""Documents drawn from ticketing data: ticket and badge PDFs, QR images."""
