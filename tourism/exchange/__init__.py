"""The exchange programme (DOMAIN.md §7): experiences, delegation itineraries, chaperones, roll-calls
and handovers to guardians. An app of its own (label `exchange`) inside tourism."""
