//! Backend API client.
