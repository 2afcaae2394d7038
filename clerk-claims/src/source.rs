//! Where a request carries its token: `Authorization: Bearer`, `__session` cookies.
