//! JSON Web Key Sets: parsing, caching, rotation.
