"""The public results pages (no sign-in): a published cluster, a published country or region,
a program, and the index of published clusters. What they show is published data only."""
