//! Build-script export of templates: write the JSON a claims type describes, or check it.
