"""API tokens: issued at sign-in, kept as digests, expiring, revocable by their owner."""
