//! FakeClerk: a local fake of the Clerk endpoints clerk-claims talks to.
