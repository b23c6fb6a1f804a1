"""Users managed by administrators: their role and scope anchor, deactivation; each user's
own profile (role and scope, read-only)."""
