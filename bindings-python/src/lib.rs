//! Python binding of ccpa-optout.
