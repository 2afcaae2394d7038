//! Test kit: TestIssuer, FakeClerk.
